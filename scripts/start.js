#!/usr/bin/env node
/**
 * `npm start`: builds the plugin and the example CRM (its admin panel when it changed), starts the
 * provider simulator, then the example on SQLite with demo data and a demo number connected to the
 * simulator. Every variable in the README's table can be set before it.
 */
const { spawn } = require('node:child_process');
const { root, example, bin, buildExample } = require('./build-example');

const simulatorPort = process.env.SIMULATOR_PORT || '4010';
const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
const env = {
  STRAPI_TELEMETRY_DISABLED: 'true',
  PORT: '1337',
  SEED_DEMO: 'true',
  SIMULATOR_URL: simulatorUrl,
  WHATSAPP_META_BASE_URL: simulatorUrl,
  WHATSAPP_GUPSHUP_BASE_URL: simulatorUrl,
  WHATSAPP_AISENSY_BASE_URL: simulatorUrl,
  ...process.env,
};
buildExample(env);

const children = [];
const startChild = (args, cwd) => {
  const child = spawn(process.execPath, args, { cwd, stdio: 'inherit', env });
  children.push(child);
  child.on('exit', (code) => {
    for (const other of children) if (other !== child) other.kill('SIGTERM');
    process.exit(code ?? 0);
  });
  return child;
};

startChild([bin('tsx', 'dist/cli.mjs'), 'simulator/cli.ts'], root);
startChild([bin('@strapi/strapi', 'bin/strapi.js', example), 'start'], example);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => children.forEach((c) => c.kill(signal)));
