import fs from 'node:fs';
import path from 'node:path';

/**
 * Imports run one way: `contracts/` is shared by the server and the admin panel and imports
 * neither; `admin/` imports only `contracts/` of the plugin's own folders; scheduled jobs and
 * everything else the server runs live under `server/`. Read from the import lines themselves.
 */
const root = path.resolve(__dirname, '../..');

const sourceFiles = (dir: string): string[] =>
  fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) ? [rel] : [];
  });

/** Every module a file names: `import … from`, `export … from`, bare `import '…'`, `import('…')`, `require('…')`. */
const specifiers = (source: string): string[] => {
  const found: string[] = [];
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]);
  return found;
};

/** The repository's top folder a relative import lands in (`server`, `admin`…), or null for a package. */
const targetFolder = (file: string, specifier: string): string | null => {
  if (!specifier.startsWith('.')) return null;
  const resolved = path.relative(root, path.resolve(root, path.dirname(file), specifier));
  return resolved.split(path.sep)[0];
};

const crossings = (dir: string, allowed: string[]) =>
  sourceFiles(dir).flatMap((file) =>
    specifiers(fs.readFileSync(path.join(root, file), 'utf8'))
      .map((specifier) => ({ file, specifier, folder: targetFolder(file, specifier) }))
      .filter((i) => i.folder !== null && !allowed.includes(i.folder))
      .map((i) => `${i.file} imports ${i.specifier}`)
  );

describe('imports run one way', () => {
  test('the scanner sees relative imports of every form', () => {
    const source = `import a from '../server/x';\nimport type { B } from "../admin/y";\nexport { c } from '../server/z';\nimport '../server/side';\nconst d = await import('../server/lazy');\nconst e = require('../server/old');\nimport react from 'react';`;
    expect(specifiers(source)).toEqual(expect.arrayContaining(['../server/x', '../admin/y', '../server/z', '../server/side', '../server/lazy', '../server/old', 'react']));
    expect(targetFolder('admin/pages/App.tsx', '../../server/constants')).toBe('server');
    expect(targetFolder('admin/pages/App.tsx', '../permissions')).toBe('admin');
    expect(targetFolder('admin/pages/App.tsx', '@strapi/strapi/admin')).toBeNull();
  });

  test('contracts/ imports nothing from server/ or admin/', () => {
    expect(sourceFiles('contracts').length).toBeGreaterThan(0);
    expect(crossings('contracts', ['contracts'])).toEqual([]);
  });

  test('admin/ imports only contracts/ of the plugin’s own folders', () => {
    expect(sourceFiles('admin').length).toBeGreaterThan(0);
    expect(crossings('admin', ['admin', 'contracts'])).toEqual([]);
  });

  test('server/ keeps its scheduled jobs and imports no admin code', () => {
    expect(fs.existsSync(path.join(root, 'cron'))).toBe(false);
    expect(crossings('server', ['server', 'contracts', 'content-types', 'package.json'])).toEqual([]);
  });
});
