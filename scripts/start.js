#!/usr/bin/env node
/**
 * `npm start`: builds the plugin and the example CRM's admin panel (when they changed), then starts
 * the example on SQLite with demo data. Every variable in the README's table can be set before it.
 */
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const example = path.join(root, 'example');
const strapiBin = require.resolve('@strapi/strapi/bin/strapi.js', { paths: [example] });

const env = {
  STRAPI_TELEMETRY_DISABLED: 'true',
  PORT: '1337',
  SEED_DEMO: 'true',
  ...process.env,
};

const newestMtime = (dir) => {
  if (!fs.existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
};

const step = (label, fn) => {
  const started = Date.now();
  process.stdout.write(`[start] ${label}…\n`);
  fn();
  process.stdout.write(`[start] ${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
};

const run = (args, cwd) => execFileSync(process.execPath, args, { cwd, stdio: 'inherit', env });

step('building the plugin', () => run([require.resolve('@strapi/sdk-plugin/bin/strapi-plugin.js'), 'build', '--silent'], root));

const adminBuilt = path.join(example, 'dist', 'build', 'index.html');
const adminInputs = Math.max(newestMtime(path.join(root, 'dist', 'admin')), newestMtime(path.join(example, 'src', 'admin')), newestMtime(path.join(example, 'config')));
if (!fs.existsSync(adminBuilt) || fs.statSync(adminBuilt).mtimeMs < adminInputs) {
  step('building the example CRM and its admin panel (first time: about a minute)', () => run([strapiBin, 'build'], example));
} else {
  step('compiling the example CRM', () => run([require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], example));
}

fs.mkdirSync(path.join(example, 'public', 'uploads'), { recursive: true });
const child = spawn(process.execPath, [strapiBin, 'start'], { cwd: example, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
