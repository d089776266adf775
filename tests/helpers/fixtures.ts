import fs from 'node:fs';
import path from 'node:path';

/** The providers' example payloads, kept in the repository (tests/fixtures/README.md says where each comes from). */
export const FIXTURES_DIR = path.resolve(__dirname, '../fixtures');

export const fixtureText = (name: string) => fs.readFileSync(path.join(FIXTURES_DIR, name), 'utf8');
export const fixture = (name: string) => JSON.parse(fixtureText(name));
export const fixtureNames = (provider: string) => fs.readdirSync(path.join(FIXTURES_DIR, provider)).filter((f) => f.endsWith('.json'));
