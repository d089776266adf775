#!/usr/bin/env node
/**
 * `npm start`: builds the plugin and the example CRM (its admin panel when it changed), then starts
 * the example on SQLite with demo data. Every variable in the README's table can be set before it.
 */
const { spawn } = require('node:child_process');
const { example, bin, buildExample } = require('./build-example');

const env = { STRAPI_TELEMETRY_DISABLED: 'true', PORT: '1337', SEED_DEMO: 'true', ...process.env };
buildExample(env);

const child = spawn(process.execPath, [bin('@strapi/strapi', 'bin/strapi.js', example), 'start'], { cwd: example, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
