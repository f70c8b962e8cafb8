import { addIcon, copyIcon, deleteIcon, stopIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { count, statusWord } from '../format';
import { IJobFilter } from '../model/jobStore';
import { Qrt } from '../tokens';
import {
  CommandIDs,
  IViewContext,
  ModelWidget,
  Age,
  StatusBadge,
  copyText,
  errorText
} from './common';
import { confirmCancel, confirmDelete } from './jobActions';

/** Height of one job row in pixels (the list is virtualised on it). */
export const ROW_HEIGHT = 48;
const OVERSCAN = 6;
const STATUSES: Qrt.JobStatus[] = ['Queued', 'Running', 'Completed', 'Failed', 'Cancelled'];

interface IJobRowProps extends IViewContext {
  job: Qrt.IJobSummary;
  index: number;
  active: boolean;
  onError: (message: string) => void;
  onFocusRow: (id: string) => void;
}

const JobRow = React.memo(function JobRow(props: IJobRowProps): JSX.Element {
  const { job, trans, commands } = props;
  const open = () => void commands.execute(CommandIDs.openJob, { id: job.id });
  return (
    <div
      className="qrt-JobRow"
      role="row"
      aria-rowindex={props.index + 1}
      data-job-id={job.id}
      data-status={job.status.toLowerCase()}
      tabIndex={props.active ? 0 : -1}
      style={{ top: props.index * ROW_HEIGHT, height: ROW_HEIGHT }}
      onFocus={() => props.onFocusRow(job.id)}
      onKeyDown={e => {
        if (e.key === 'Enter') {
          open();
        }
      }}
    >
      <div className="qrt-JobRow-line">
        <StatusBadge status={job.status} trans={trans} />
        <button
          type="button"
          className="qrt-Link qrt-JobRow-id"
          title={trans.__('Open job %1', job.id)}
          tabIndex={-1}
          onClick={open}
        >
          {job.id}
        </button>
        <span className="qrt-JobRow-actions">
          {job.final ? (
            <button
              type="button"
              className="qrt-IconButton"
              aria-label={trans.__('Delete job %1', job.id)}
              title={trans.__('Delete this job from the service (asks first)')}
              tabIndex={-1}
              onClick={() => confirmDelete(props, job.id).catch(e => props.onError(errorText(e)))}
            >
              <deleteIcon.react tag="span" className="qrt-Icon" />
            </button>
          ) : (
            <button
              type="button"
              className="qrt-IconButton"
              aria-label={trans.__('Cancel job %1', job.id)}
              title={trans.__('Cancel this job (asks first)')}
              tabIndex={-1}
              onClick={() => confirmCancel(props, job.id).catch(e => props.onError(errorText(e)))}
            >
              <stopIcon.react tag="span" className="qrt-Icon" />
            </button>
          )}
          <button
            type="button"
            className="qrt-IconButton"
            aria-label={trans.__('Copy job ID %1', job.id)}
            title={trans.__('Copy job ID')}
            tabIndex={-1}
            onClick={() => void copyText(job.id)}
          >
            <copyIcon.react tag="span" className="qrt-Icon" />
          </button>
          <button
            type="button"
            className="qrt-IconButton"
            aria-label={trans.__('Insert job %1 in the notebook', job.id)}
            title={trans.__('Insert job = service.job(…) in the active notebook')}
            tabIndex={-1}
            onClick={() => void commands.execute(CommandIDs.insertJob, { id: job.id })}
          >
            <addIcon.react tag="span" className="qrt-Icon" />
          </button>
        </span>
      </div>
      <div className="qrt-JobRow-line qrt-JobRow-meta">
        <span data-field="program" title={job.program ?? ''}>
          {job.program ?? ''}
        </span>
        <span data-field="backend" title={job.backend ?? ''}>
          {job.backend ?? ''}
        </span>
        <span data-field="created">
          <Age iso={job.created} trans={trans} />
        </span>
        {job.session_id ? (
          <span data-field="session" title={job.session_id}>
            {trans.__('session %1', job.session_id.slice(0, 8))}
          </span>
        ) : null}
        {job.tags.map(t => (
          <span key={t} className="qrt-Tag" title={t}>
            {t}
          </span>
        ))}
      </div>
    </div>
  );
});

/** A fixed-row-height virtual list: only the rows in view (plus a few) are in the DOM. */
function JobList(
  props: IViewContext & { jobs: readonly Qrt.IJobSummary[]; onError: (m: string) => void }
) {
  const { jobs } = props;
  const scroller = React.useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = React.useState(0);
  const [height, setHeight] = React.useState(400);
  // the active row is a job, not a position: live updates may insert rows above it
  const [activeId, setActiveId] = React.useState<string | null>(null);
  const found = activeId === null ? -1 : jobs.findIndex(j => j.id === activeId);
  const active = found < 0 ? 0 : found;
  React.useEffect(() => {
    const node = scroller.current;
    if (!node) {
      return;
    }
    const observer = new ResizeObserver(() => setHeight(node.clientHeight || 400));
    observer.observe(node);
    return () => observer.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(jobs.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const { model } = props;
  React.useEffect(() => {
    // within a screenful of the end: fetch the next page of older jobs (the list grows)
    if (last >= jobs.length - OVERSCAN && jobs.length > 0 && model.hasOlderJobs) {
      void model.loadOlderJobs?.();
    }
  }, [last, jobs.length, model]);
  const focusRow = (index: number) => {
    const node = scroller.current;
    if (!node || jobs.length === 0) {
      return;
    }
    const next = Math.max(0, Math.min(jobs.length - 1, index));
    setActiveId(jobs[next].id);
    const top = next * ROW_HEIGHT;
    if (top < node.scrollTop) {
      node.scrollTop = top;
    } else if (top + ROW_HEIGHT > node.scrollTop + node.clientHeight) {
      node.scrollTop = top + ROW_HEIGHT - node.clientHeight;
    }
    const id = jobs[next].id;
    const focus = () =>
      node.querySelector<HTMLElement>(`.qrt-JobRow[data-job-id="${CSS.escape(id)}"]`)?.focus();
    focus(); // the row is usually in the DOM already; if scrolled in, it is after the render
    requestAnimationFrame(focus);
  };
  const rows: JSX.Element[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <JobRow
        key={jobs[i].id}
        {...props}
        job={jobs[i]}
        index={i}
        active={i === active}
        onError={props.onError}
        onFocusRow={setActiveId}
      />
    );
  }
  return (
    <div
      className="qrt-JobList"
      role="grid"
      aria-rowcount={jobs.length}
      aria-label={props.trans.__('Jobs')}
      ref={scroller}
      onScroll={e => setScrollTop((e.target as HTMLDivElement).scrollTop)}
      onKeyDown={e => {
        const steps: { [key: string]: number } = {
          ArrowDown: 1,
          ArrowUp: -1,
          PageDown: 10,
          PageUp: -10
        };
        // move from the row that has the focus (the one the user sees), else the active one
        const row = (e.target as HTMLElement).closest?.('.qrt-JobRow');
        const id = row?.getAttribute('data-job-id');
        const at = id ? jobs.findIndex(j => j.id === id) : -1;
        const from = at < 0 ? active : at;
        if (e.key in steps) {
          e.preventDefault();
          focusRow(from + steps[e.key]);
        } else if (e.key === 'Home') {
          e.preventDefault();
          focusRow(0);
        } else if (e.key === 'End') {
          e.preventDefault();
          focusRow(jobs.length - 1);
        }
      }}
    >
      <div className="qrt-JobList-inner" style={{ height: jobs.length * ROW_HEIGHT }}>
        {rows}
      </div>
    </div>
  );
}

function JobsBody(
  props: IViewContext & { filter: IJobFilter; setFilter: (f: IJobFilter) => void }
) {
  const { model, trans, filter, setFilter } = props;
  const [error, setError] = React.useState('');
  const store = (model as { store?: { filter(f: IJobFilter): readonly Qrt.IJobSummary[] } }).store;
  const jobs = store ? store.filter(filter) : model.jobs;
  const backends = [
    ...new Set(model.jobs.map(j => j.backend).filter((b): b is string => !!b))
  ].sort();
  const programs = [
    ...new Set(model.jobs.map(j => j.program).filter((p): p is string => !!p))
  ].sort();
  const sessions = [
    ...new Set(model.jobs.map(j => j.session_id).filter((s): s is string => !!s))
  ].sort();
  return (
    <div className="qrt-Section-body qrt-Jobs">
      <div className="qrt-Filters">
        <input
          type="search"
          className="qrt-FindJob"
          aria-label={trans.__('Find a job by ID')}
          placeholder={trans.__('Job ID')}
          title={trans.__('Find a job by its ID (or part of it)')}
          value={filter.id ?? ''}
          onChange={e => setFilter({ ...filter, id: e.target.value })}
        />
        <select
          aria-label={trans.__('Filter by status')}
          value={filter.status ?? ''}
          onChange={e => setFilter({ ...filter, status: e.target.value })}
        >
          <option value="">{trans.__('All statuses')}</option>
          {STATUSES.map(s => (
            <option key={s} value={s}>
              {trans.__(statusWord(s))}
            </option>
          ))}
        </select>
        <select
          aria-label={trans.__('Filter by backend')}
          value={filter.backend ?? ''}
          onChange={e => setFilter({ ...filter, backend: e.target.value })}
        >
          <option value="">{trans.__('All backends')}</option>
          {backends.map(b => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
        <select
          aria-label={trans.__('Filter by primitive')}
          value={filter.program ?? ''}
          onChange={e => setFilter({ ...filter, program: e.target.value })}
        >
          <option value="">{trans.__('All primitives')}</option>
          {programs.map(p => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <select
          aria-label={trans.__('Filter by session')}
          value={filter.session ?? ''}
          onChange={e => setFilter({ ...filter, session: e.target.value })}
        >
          <option value="">{trans.__('All sessions')}</option>
          {sessions.map(s => (
            <option key={s} value={s} title={s}>
              {s}
            </option>
          ))}
        </select>
        <input
          type="search"
          aria-label={trans.__('Filter by tag')}
          placeholder={trans.__('Tag')}
          value={filter.tag ?? ''}
          onChange={e => setFilter({ ...filter, tag: e.target.value.trim() })}
        />
      </div>
      {error ? (
        <p className="qrt-Error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="qrt-Count" aria-live="polite">
        {model.hasOlderJobs && model.jobsTotal && jobs === model.jobs
          ? trans.__(
              '%1 of %2 jobs (scroll for older ones)',
              count(jobs.length),
              count(model.jobsTotal)
            )
          : trans._n('%1 job', '%1 jobs', jobs.length)}
      </p>
      {jobs.length === 0 ? (
        <p className="qrt-Empty">
          {trans.__('No jobs yet. Jobs submitted from any notebook or script appear here.')}
        </p>
      ) : null}
      <JobList {...props} jobs={jobs} onError={setError} />
    </div>
  );
}

/** The Jobs section: a live, filterable, virtualised list of the account's jobs. */
export class JobsSection extends ModelWidget {
  constructor(ctx: IViewContext) {
    super(ctx, ['jobs']);
    this.id = 'qrt-lab-jobs';
    this.addClass('qrt-Section');
    this.title.label = ctx.trans.__('Jobs');
  }

  protected renderBody(): JSX.Element {
    return (
      <JobsBody
        {...this.ctx}
        filter={this._filter}
        setFilter={f => {
          this._filter = f;
          this.update();
        }}
      />
    );
  }

  private _filter: IJobFilter = {};
}
