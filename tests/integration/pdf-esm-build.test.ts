/**
 * The plugin's ESM build (dist/server/index.mjs, which has no `__dirname`) reads an uploaded PDF:
 * its knowledge controller is loaded from the built file in a plain Node process and given the
 * plugin folder the way Strapi resolves it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const PDF = path.join(ROOT, 'tests/fixtures/knowledge/bike-guide.pdf');

const script = `
import fs from 'node:fs';
const mod = await import(${JSON.stringify(path.join(ROOT, 'dist/server/index.mjs'))});
const plugin = mod.default ?? mod;
const added = [];
const strapi = {
  config: { get: (key) => (key === 'enabledPlugins' ? { whatsapp: { pathToPlugin: ${JSON.stringify(ROOT)} } } : undefined) },
  plugin: () => ({ service: () => ({ checkNumbers: async (_user, ids = []) => ids, add: async (doc) => (added.push(doc), doc) }) }),
};
const controller = plugin.controllers['assistant-knowledge']({ strapi });
const file = { originalFilename: 'bike-guide.pdf', filepath: ${JSON.stringify(PDF)}, size: fs.statSync(${JSON.stringify(PDF)}).size };
await controller.upload({ request: { files: { files: file }, body: {} }, state: { user: { id: 1 } }, created: (body) => body });
process.stdout.write(JSON.stringify(added));
`;

test('the ESM build reads a PDF into knowledge text', async () => {
  // A file, not `--input-type=module -e`: the PDF worker inherits the process's flags, and that one is for inline code only.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wa-esm-')), 'load.mjs');
  fs.writeFileSync(file, script);
  const { stdout } = await promisify(execFile)(process.execPath, [file], { cwd: ROOT, timeout: 60_000 });
  fs.rmSync(path.dirname(file), { recursive: true });
  const docs = JSON.parse(stdout);
  expect(docs[0]).toMatchObject({ title: 'bike-guide', filename: 'bike-guide.pdf' });
  expect(docs[0].text).toMatch(/two-year warranty on its frame/);
});
