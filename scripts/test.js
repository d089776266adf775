#!/usr/bin/env node
/**
 * `npm test`: builds what the tests load, then runs Jest. TEST_DB=postgres runs the same suite on the
 * local PostgreSQL (127.0.0.1:5432, database `test`, one schema per test file).
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const prepare = require('./prepare-tests');

// CI builds once and runs the SQLite and PostgreSQL suites side by side on that build.
if (process.env.TESTS_PREPARED !== '1') prepare();
const jestBin = require.resolve('jest/bin/jest');
const args = process.argv.slice(2);
const result = spawnSync(process.execPath, [jestBin, '--runInBand', ...args], {
  cwd: path.resolve(__dirname, '..'),
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test', STRAPI_TELEMETRY_DISABLED: 'true' },
});
process.exit(result.status ?? 1);
