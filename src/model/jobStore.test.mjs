// Node's own test runner on the compiled store: `jlpm test` (after `jlpm build:lib`).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { JobStore } from '../../lib/model/jobStore.js';

function job(id, status, created, extra = {}) {
  return {
    id,
    status,
    final: ['Completed', 'Failed', 'Cancelled'].includes(status),
    backend: 'fake_fez',
    program: 'sampler',
    created,
    session_id: null,
    tags: [],
    ...extra
  };
}

test('listing and snapshot merge, newest first', () => {
  const store = new JobStore();
  store.mergeJobs([job('a', 'Completed', '2026-01-01T00:00:00Z')]);
  const change = store.apply({
    type: 'snapshot',
    jobs: [job('b', 'Queued', '2026-01-02T00:00:00Z')],
    sessions: [{ id: 's1', state: 'open', accepting_jobs: true, mode: 'dedicated' }]
  });
  assert.ok(change.jobs && change.sessions);
  assert.deepEqual(
    store.jobs.map(j => j.id),
    ['b', 'a']
  );
  assert.equal(store.sessions[0].id, 's1');
  assert.deepEqual(store.counts(), { queued: 1, running: 0 });
});

test('a status event swaps the row in place and reports the transition', () => {
  const store = new JobStore();
  store.mergeJobs([
    job('a', 'Queued', '2026-01-01T00:00:00Z'),
    job('b', 'Queued', '2026-01-02T00:00:00Z')
  ]);
  const before = store.jobs;
  const change = store.apply({
    type: 'job',
    event: 'status',
    job: job('a', 'Completed', '2026-01-01T00:00:00Z'),
    previous: { status: 'Queued' }
  });
  assert.equal(change.transitions.length, 1);
  assert.equal(change.transitions[0].previous, 'Queued');
  assert.equal(change.transitions[0].job.status, 'Completed');
  const after = store.jobs;
  assert.notEqual(after, before, 'views compare identity, so the array must be new');
  assert.equal(after[1].status, 'Completed');
  assert.equal(after[0], before[0], 'untouched rows keep their identity (memoised rows)');
});

test('created and deleted events; an unchanged status is no transition', () => {
  const store = new JobStore();
  let change = store.apply({
    type: 'job',
    event: 'created',
    job: job('n', 'Queued', '2026-03-01T00:00:00Z')
  });
  assert.equal(change.transitions.length, 0);
  assert.equal(store.job('n').status, 'Queued');
  change = store.apply({
    type: 'job',
    event: 'updated',
    job: job('n', 'Queued', '2026-03-01T00:00:00Z', { tags: ['x'] })
  });
  assert.equal(change.transitions.length, 0);
  assert.deepEqual(store.job('n').tags, ['x']);
  change = store.apply({ type: 'job', event: 'deleted', job_id: 'n' });
  assert.ok(change.jobs);
  assert.equal(store.jobs.length, 0);
});

test('an account change forgets the previous account', () => {
  const store = new JobStore();
  store.mergeJobs([job('a', 'Running', '2026-01-01T00:00:00Z')]);
  store.apply({ type: 'session', event: 'state', id: 's', session: { state: 'open' } });
  store.apply({ type: 'account', account: {} });
  assert.equal(store.jobs.length, 0);
  assert.equal(store.sessions.length, 0);
});

test('session state events merge into the known session', () => {
  const store = new JobStore();
  store.setSessions([{ id: 's', state: 'open', accepting_jobs: true, mode: 'batch' }]);
  store.apply({
    type: 'session',
    event: 'state',
    id: 's',
    session: { state: 'closed', accepting_jobs: false }
  });
  assert.deepEqual(store.sessions[0], {
    id: 's',
    state: 'closed',
    accepting_jobs: false,
    mode: 'batch'
  });
});

test('filters by status, backend and tag', () => {
  const store = new JobStore();
  store.mergeJobs([
    job('a', 'Queued', '2026-01-01T00:00:00Z', { tags: ['exp'] }),
    job('b', 'Completed', '2026-01-02T00:00:00Z', { backend: 'fake_other' }),
    job('c', 'Completed', '2026-01-03T00:00:00Z')
  ]);
  assert.deepEqual(
    store.filter({ status: 'Completed' }).map(j => j.id),
    ['c', 'b']
  );
  assert.deepEqual(
    store.filter({ backend: 'fake_other' }).map(j => j.id),
    ['b']
  );
  assert.deepEqual(
    store.filter({ tag: 'exp' }).map(j => j.id),
    ['a']
  );
  assert.equal(store.filter({}).length, 3);
});

test('1,000 jobs: a status change stays cheap', () => {
  const store = new JobStore();
  const jobs = [];
  for (let i = 0; i < 1000; i++) {
    jobs.push(job(`j${i}`, 'Queued', new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()));
  }
  store.mergeJobs(jobs);
  assert.equal(store.jobs[0].id, 'j999');
  store.apply({ type: 'job', event: 'status', job: { ...jobs[500], status: 'Running' } });
  assert.equal(store.jobs[499].status, 'Running');
  assert.deepEqual(store.counts(), { queued: 999, running: 1 });
});

test('a job first seen already final (created between two polls) is a transition', () => {
  const store = new JobStore();
  const change = store.apply({
    type: 'job',
    event: 'created',
    job: job('f', 'Completed', '2026-03-01T00:00:00Z')
  });
  assert.equal(change.transitions.length, 1);
  assert.equal(change.transitions[0].previous, null);
  const again = store.apply({
    type: 'job',
    event: 'updated',
    job: job('f', 'Completed', '2026-03-01T00:00:00Z')
  });
  assert.equal(again.transitions.length, 0);
});

test('find by part of an ID, filter by primitive and session; remove a deleted job', () => {
  const store = new JobStore();
  store.mergeJobs([
    job('abc123', 'Completed', '2026-01-01T00:00:00Z'),
    job('def456', 'Completed', '2026-01-02T00:00:00Z', { program: 'estimator' }),
    job('ghi789', 'Completed', '2026-01-03T00:00:00Z', { session_id: 's1' })
  ]);
  assert.deepEqual(
    store.filter({ id: ' C12 ' }).map(j => j.id),
    ['abc123']
  );
  assert.deepEqual(
    store.filter({ program: 'estimator' }).map(j => j.id),
    ['def456']
  );
  assert.deepEqual(
    store.filter({ session: 's1' }).map(j => j.id),
    ['ghi789']
  );
  assert.deepEqual(store.filter({ program: 'sampler', session: 's1', id: 'zzz' }), []);
  store.remove('def456');
  assert.deepEqual(
    store.jobs.map(j => j.id),
    ['ghi789', 'abc123']
  );
  assert.equal(store.job('def456'), undefined);
});
