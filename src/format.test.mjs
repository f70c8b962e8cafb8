// The frontend's vocabulary against the fixture the Python tests read too: `jlpm test`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import {
  age,
  calibrationIsStale,
  count,
  duration,
  errorRate,
  expectation,
  localTime,
  microseconds,
  plural,
  probability,
  sessionJobs,
  STALE_CALIBRATION_HINT,
  STALE_MARK,
  statusWord,
  usageHint
} from '../lib/format.js';

const fixture = JSON.parse(
  readFileSync(fileURLToPath(import.meta.resolve('../tests/fixtures/vocabulary.json')), 'utf8')
);

const single = {
  status_word: statusWord,
  duration,
  error_rate: errorRate,
  microseconds,
  probability,
  count,
  age,
  local_time_utc: iso => localTime(iso, true)
};

for (const [kind, format] of Object.entries(single)) {
  test(`${kind} prints what words.py prints`, () => {
    assert.ok(fixture[kind].length > 0);
    for (const [input, expected] of fixture[kind]) {
      assert.equal(format(input), expected, `${kind}(${JSON.stringify(input)})`);
    }
  });
}

test('expectation values and plurals print what words.py prints', () => {
  for (const [[value, std], expected] of fixture.expectation) {
    assert.equal(expectation(value, std), expected, `expectation(${value}, ${std})`);
  }
  for (const [args, expected] of fixture.plural) {
    assert.equal(plural(...args), expected);
  }
  for (const [args, expected] of fixture.session_jobs) {
    assert.equal(sessionJobs(...args), expected);
  }
  assert.equal(usageHint(true), fixture.usage_hint.local);
  assert.equal(usageHint(false), fixture.usage_hint.platform);
});

test('stale calibrations are marked as words.py marks them', () => {
  for (const [ageSeconds, stale] of fixture.calibration_stale) {
    assert.equal(calibrationIsStale(ageSeconds), stale, `calibrationIsStale(${ageSeconds})`);
  }
  assert.equal(STALE_MARK, fixture.stale_calibration.mark);
  assert.equal(STALE_CALIBRATION_HINT, fixture.stale_calibration.hint);
});
