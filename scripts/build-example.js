/**
 * The build steps `npm start` and the browser tests share: the plugin into dist/, then the example
 * CRM (its TypeScript into example/dist and, when anything it is made of changed, its admin panel
 * into example/dist/build).
 */
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ensureExampleEnv } = require('./example-env');

const root = path.resolve(__dirname, '..');
const example = path.join(root, 'example');

/** A package's bin script, found beside its package.json (package exports do not list bins). */
const bin = (pkg, file, from = root) => path.join(path.dirname(require.resolve(`${pkg}/package.json`, { paths: [from] })), file);

const step = (label, fn) => {
  const started = Date.now();
  process.stdout.write(`[build] ${label}…\n`);
  const result = fn();
  process.stdout.write(`[build] ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
};

const run = (args, cwd, env) => execFileSync(process.execPath, args, { cwd, stdio: 'inherit', env });

/** A hash of every file under the given paths (skipping node_modules), in a stable order. */
const hashInputs = (paths) => {
  const hash = crypto.createHash('sha256');
  const visit = (p) => {
    if (!fs.existsSync(p)) return hash.update(`missing:${path.relative(root, p)}\n`);
    if (fs.statSync(p).isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (name !== 'node_modules') visit(path.join(p, name));
      return undefined;
    }
    hash.update(`${path.relative(root, p)}\n`);
    return hash.update(fs.readFileSync(p));
  };
  paths.forEach(visit);
  return hash.digest('hex');
};

const buildExample = (env = { ...process.env }) => {
  env = { STRAPI_TELEMETRY_DISABLED: 'true', ...env };
  ensureExampleEnv(env);
  step('building the plugin', () => run([bin('@strapi/sdk-plugin', 'bin/strapi-plugin.js'), 'build', '--silent'], root, env));

  // The admin bundle is made of the plugin's admin build, the host's admin code and config, and
  // the installed Strapi (through the lock file).
  const adminIndex = path.join(example, 'dist', 'build', 'index.html');
  const stampFile = path.join(example, 'dist', 'build', '.inputs');
  const inputs = hashInputs([
    path.join(root, 'dist', 'admin'),
    path.join(root, 'package.json'),
    path.join(root, 'package-lock.json'),
    path.join(example, 'package.json'),
    path.join(example, 'src', 'admin'),
    path.join(example, 'config'),
  ]);
  const upToDate = fs.existsSync(adminIndex) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === inputs;
  if (upToDate) {
    step('compiling the example CRM (admin panel up to date)', () => run([bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json'], example, env));
  } else {
    step('building the example CRM and its admin panel (about 30 s)', () => run([bin('@strapi/strapi', 'bin/strapi.js', example), 'build'], example, { ...env, NODE_ENV: 'production' }));
    fs.writeFileSync(stampFile, inputs);
  }
  fs.mkdirSync(path.join(example, 'public', 'uploads'), { recursive: true });
};

module.exports = { root, example, bin, step, buildExample };
