import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What `npm publish` would ship, read from npm itself (dist/ must be built: `npm test` builds it first). */
const root = path.resolve(__dirname, '../..');
const MAX_FILE_BYTES = 2 * 1024 * 1024;

type PackFile = { path: string; size: number };
let files: PackFile[] = [];
let paths = new Set<string>();

beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'dist/server/index.js'))) throw new Error('dist/ is not built: run `node scripts/prepare-tests.js` first');
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  files = JSON.parse(out)[0].files;
  paths = new Set(files.map((f) => f.path));
});

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('the npm package', () => {
  test('ships the licence, the user README and the built plugin', () => {
    for (const file of ['LICENSE', 'README.md', 'package.json', 'dist/server/index.js', 'dist/server/index.mjs', 'dist/admin/index.js', 'dist/admin/index.mjs']) {
      expect(paths).toContain(file);
    }
    expect(pkg.license).toBe('MIT');
    expect(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} strapi-plugin-whatsapp contributors/);
  });

  test('ships type declarations of the admin API (contracts/), importable by a TypeScript host', () => {
    for (const name of ['inbox', 'settings', 'notifications', 'templates', 'permissions']) {
      expect(paths).toContain(`dist/contracts/${name}.d.ts`);
      expect(paths).toContain(`dist/contracts/${name}.js`);
    }
    // A host file that types a request with them compiles against the package's own exports.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whatsapp-types-'));
    fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
    // As installed in a host app: the package under node_modules (here, this checkout).
    const installed = path.join(dir, 'node_modules/strapi-plugin-whatsapp');
    fs.symlinkSync(root, installed, 'dir');
    fs.writeFileSync(path.join(dir, 'host.ts'), "import type { ReplyRequest } from 'strapi-plugin-whatsapp/contracts/inbox';\nexport const reply: ReplyRequest = { type: 'text', text: 'Your order shipped' };\n");
    fs.writeFileSync(path.join(dir, 'wrong.ts'), "import type { ReplyRequest } from 'strapi-plugin-whatsapp/contracts/inbox';\nexport const reply: ReplyRequest = { type: 'text', body: 1 };\n");
    // node16 reads the package's exports; a new Strapi app's tsconfig (`moduleResolution: node`) reads typesVersions.
    for (const [module, resolution] of [['node16', 'node16'], ['commonjs', 'node']]) {
      const { stdout } = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck', '--module', module, '--moduleResolution', resolution, path.join(dir, 'host.ts'), path.join(dir, 'wrong.ts')], { cwd: root, encoding: 'utf8' });
      // The right request compiles; the wrong one is refused for its field.
      expect(stdout).not.toMatch(/host\.ts/);
      expect(stdout).toMatch(/wrong\.ts.*body/);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('ships nothing of the development setup, no source maps and no big files', () => {
    const devOnly = /^(tests|example|simulator|bench|scripts|\.ci|server|admin|contracts|content-types)\//;
    expect(files.map((f) => f.path).filter((p) => devOnly.test(p) || p.endsWith('.map') || p.endsWith('.test.ts'))).toEqual([]);
    expect(files.filter((f) => f.size > MAX_FILE_BYTES).map((f) => f.path)).toEqual([]);
  });

  test('every file the README links to or shows is in the package (no broken images on the package page)', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    const relative = links.filter((t) => !/^(https?:|mailto:|#)/.test(t));
    expect(relative.map((t) => t.split('#')[0]).filter((t) => !paths.has(t))).toEqual([]);
    // Images come from the package itself through jsDelivr's npm mirror, at this very version.
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    expect(images.length).toBeGreaterThan(0);
    const mirror = `https://cdn.jsdelivr.net/npm/${pkg.name}@${pkg.version}/`;
    expect(images.filter((t) => !t.startsWith(mirror))).toEqual([]);
    expect(images.map((t) => t.slice(mirror.length)).filter((t) => !paths.has(t))).toEqual([]);
  });

  test('the README is for users: its developer material lives in CONTRIBUTING.md', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toMatch(/## Install into your own Strapi 5 app/);
    expect(readme).toMatch(/npm pack/);
    for (const devOnly of ['npm run bench:', 'POST /__sim', 'tests/integration/cluster.test.ts']) expect(readme).not.toContain(devOnly);
  });

  test('BullMQ and ioredis are optional peers, not installed for a single instance', () => {
    for (const name of ['bullmq', 'ioredis']) {
      expect(pkg.dependencies?.[name]).toBeUndefined();
      expect(pkg.peerDependencies?.[name]).toBeDefined();
      expect(pkg.peerDependenciesMeta?.[name]).toEqual({ optional: true });
      expect(pkg.devDependencies?.[name]).toBeDefined();
    }
  });
});

describe('BullMQ and ioredis load only in several-instance mode', () => {
  const node = (script: string) => spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'test' } });

  test('loading the built server loads neither', () => {
    const result = node(`
      require('./dist/server/index.js');
      const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](bullmq|ioredis|msgpackr)[\\\\/]/.test(f));
      process.stdout.write(JSON.stringify(loaded));`);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  test('with redis.url set but the packages missing, starting says what to install', () => {
    const result = node(`
      const Module = require('node:module');
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (request === 'bullmq' || request === 'ioredis') {
          const error = new Error("Cannot find module '" + request + "'");
          error.code = 'MODULE_NOT_FOUND';
          throw error;
        }
        return resolve.call(this, request, ...rest);
      };
      const plugin = require('./dist/server/index.js').default ?? require('./dist/server/index.js');
      const strapi = {
        plugin: () => ({ config: (key) => (key === 'redis' ? { url: 'redis://127.0.0.1:1' } : undefined) }),
        config: { get: () => 'postgres' },
        log: { info() {}, warn() {}, error() {} },
      };
      plugin.services.cluster({ strapi }).start().then(
        () => process.stdout.write('started'),
        (error) => process.stdout.write(error.message),
      );`);
    expect(result.stdout).toBe('whatsapp: several instances (`redis.url` is set) need the optional packages bullmq and ioredis; install them in your app: npm install bullmq ioredis');
  });
});
