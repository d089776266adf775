import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { SECRETS, ensureExampleEnv } = require('../../scripts/example-env') as {
  SECRETS: Record<string, () => string>;
  ensureExampleEnv: (env: Record<string, string | undefined>, file: string) => string[];
};
const CONFIG_DIR = path.resolve(__dirname, '../../example/config');

const parse = (text: string) => Object.fromEntries(text.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

describe('the example’s secrets', () => {
  let file: string;
  beforeEach(() => {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'example-env-')), '.env');
  });
  const silent = <T>(fn: () => T): T => {
    const write = process.stdout.write;
    process.stdout.write = (() => true) as any;
    try {
      return fn();
    } finally {
      process.stdout.write = write;
    }
  };

  test('no file in example/config carries a constant fallback for one of them', () => {
    for (const name of fs.readdirSync(CONFIG_DIR)) {
      const text = fs.readFileSync(path.join(CONFIG_DIR, name), 'utf8');
      for (const secret of Object.keys(SECRETS)) {
        expect({ name, secret, fallback: new RegExp(`env(\\.\\w+)?\\(\\s*'${secret}'\\s*,`).test(text) }).toEqual({ name, secret, fallback: false });
      }
    }
  });

  test('a first run writes a random value for each, private to the owner; a second run changes nothing', () => {
    expect(silent(() => ensureExampleEnv({}, file)).sort()).toEqual(Object.keys(SECRETS).sort());
    const first = parse(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(first).sort()).toEqual(Object.keys(SECRETS).sort());
    for (const value of Object.values(first)) expect(value.length).toBeGreaterThanOrEqual(40);
    expect(first.APP_KEYS.split(',')).toHaveLength(4);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    expect(silent(() => ensureExampleEnv({}, file))).toEqual([]);
    expect(parse(fs.readFileSync(file, 'utf8'))).toEqual(first);

    const other = path.join(path.dirname(file), 'other.env');
    silent(() => ensureExampleEnv({}, other));
    expect(parse(fs.readFileSync(other, 'utf8')).WHATSAPP_ENCRYPTION_KEY).not.toBe(first.WHATSAPP_ENCRYPTION_KEY);
  });

  test('values the file or the environment already hold are kept; only the missing ones are added', () => {
    fs.writeFileSync(file, 'WHATSAPP_ENCRYPTION_KEY=the-one-my-numbers-use\nPORT=1500');
    expect(silent(() => ensureExampleEnv({ ADMIN_JWT_SECRET: 'from-the-environment' }, file))).not.toContain('ADMIN_JWT_SECRET');
    const written = parse(fs.readFileSync(file, 'utf8'));
    expect(written).toMatchObject({ WHATSAPP_ENCRYPTION_KEY: 'the-one-my-numbers-use', PORT: '1500' });
    expect(written.ADMIN_JWT_SECRET).toBeUndefined();
    expect(written.API_TOKEN_SALT).toBeTruthy();
  });
});
