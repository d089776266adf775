#!/usr/bin/env node
/**
 * `npm run test:e2e`: the browser tests. Builds the plugin and the example CRM (its admin panel only
 * when something it is made of changed), then runs Jest with jest.e2e.config.js. Extra arguments go
 * to Jest. TEST_DB=postgres runs the example on a fresh PostgreSQL schema instead of SQLite.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { root, bin, step, buildExample } = require('./build-example');

const env = { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true' };
buildExample(env);
const result = step('running the browser tests', () =>
  spawnSync(process.execPath, [bin('jest', 'bin/jest.js'), '--config', path.join(root, 'jest.e2e.config.js'), '--runInBand', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env,
  })
);
process.exit(result.status ?? 1);
