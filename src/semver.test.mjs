// Node's own test runner on the compiled module: `jlpm test` (after `jlpm build:lib`).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { sameVersion, versionKey } from '../lib/semver.js';

test('npm and Python spellings of one release match', () => {
  const pairs = [
    ['0.1.0', '0.1.0'],
    ['1.2.0-alpha.1', '1.2.0a1'],
    ['1.2.0-beta.2', '1.2.0b2'],
    ['1.2.0-rc.1', '1.2.0rc1'],
    ['1.2.0-dev.3', '1.2.0.dev3'],
    ['1.2.0-alpha.1-dev.2', '1.2.0a1.dev2'],
    ['1.0.0+local', '1.0.0+local']
  ];
  for (const [npm, python] of pairs) {
    assert.ok(
      sameVersion(python, npm),
      `${npm} vs ${python}: ${versionKey(npm)} ${versionKey(python)}`
    );
  }
});

test('different releases differ', () => {
  for (const [a, b] of [
    ['0.1.0', '0.10.0'],
    ['0.1.0', '0.1.0a1'],
    ['0.1.0', '0.1.1'],
    ['1.2.0-rc.1', '1.2.0rc2']
  ]) {
    assert.equal(sameVersion(a, b), false, `${a} vs ${b}`);
  }
});
