/**
 * The new-app test: does what a new user does. Builds and packs the plugin, creates a brand-new
 * Strapi 5.54 TypeScript app with its own `customer` and `order` types, installs the tarball,
 * follows README "Install into your own Strapi 5 app" (its marked blocks are read from the README),
 * builds and starts the app, then checks it over HTTP against the provider simulator. The app uses
 * PostgreSQL (a database of its own on the local server, created and dropped here), so its install
 * never compiles better-sqlite3, which took 14 of the 18 minutes.
 * Run: `npm run test:new-app` (needs the npm registry). KEEP_APP=1 keeps the temp dir; REUSE_APP=<its app
 * dir> starts such a kept, built app again on a fresh database (to work on the HTTP checks).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createSimulator } from '../../simulator';
import { pgConfig } from '../helpers/pg';

const root = path.resolve(__dirname, '../..');
const pg = pgConfig();
const CREATE_STRAPI_APP = 'create-strapi-app@5.54.0';
const started = Date.now();
const timings: [string, number][] = [];
const env = { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true', NODE_ENV: undefined as string | undefined };
delete env.NODE_ENV;

const step = async <T>(name: string, run: () => T | Promise<T>): Promise<T> => {
  const at = Date.now();
  process.stdout.write(`\n--- ${name}\n`);
  const result = await run();
  timings.push([name, Date.now() - at]);
  return result;
};
const sh = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const check = (ok: unknown, what: string, detail?: unknown) => {
  if (!ok) throw new Error(`new-app test: ${what}${detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`);
  process.stdout.write(`ok  ${what}\n`);
};

/** The code block after `<!-- new-app-test: name -->` in the README, as written there. */
const readmeBlock = (name: string) => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const match = readme.match(new RegExp(`<!-- new-app-test: ${name} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``));
  if (!match) throw new Error(`README has no block marked "new-app-test: ${name}"`);
  return match[1];
};

/** Runs one statement as the local PostgreSQL's admin user (database names cannot be bind parameters). */
const pgAdmin = async (sql: string) => {
  const client = new Client({ ...pgConfig(), database: 'postgres' });
  await client.connect();
  try { await client.query(sql); } finally { await client.end(); }
};
const createDatabase = async (name: string) => {
  await pgAdmin(`DROP DATABASE IF EXISTS "${name}"`);
  await pgAdmin(`CREATE DATABASE "${name}"`);
};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

const schema = (singular: string, plural: string, attributes: Record<string, unknown>) => ({
  kind: 'collectionType',
  collectionName: plural,
  info: { singularName: singular, pluralName: plural, displayName: singular[0].toUpperCase() + singular.slice(1) },
  options: { draftAndPublish: false },
  attributes,
});
const writeType = (app: string, singular: string, plural: string, attributes: Record<string, unknown>) => {
  const dir = path.join(app, 'src/api', singular, 'content-types', singular);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'schema.json'), JSON.stringify(schema(singular, plural, attributes), null, 2));
};

/** README steps 1-4 in a new app: everything before it starts. */
const setUp = async (work: string, app: string, simUrl: string, database: string) => {
  const tgz = await step('build and pack the plugin (npm run build && npm pack)', () => {
    sh('npm', ['run', 'build'], root);
    const [packed] = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', work], root));
    return path.join(work, packed.filename);
  });

  await step(`create a new app (npx ${CREATE_STRAPI_APP})`, () =>
    sh('npx', ['-y', CREATE_STRAPI_APP, app, '--no-run', '--skip-cloud', '--ts', '--use-npm', '--no-example', '--no-git-init', '--install', '--non-interactive',
      '--dbclient', 'postgres', '--dbhost', pg.host, '--dbport', String(pg.port), '--dbname', database, '--dbusername', pg.user, '--dbpassword', pg.password, '--dbssl', 'false'], work),
  );

  await step("the app's own types: customer (name, phone) and order (reference, customer)", () => {
    writeType(app, 'customer', 'customers', { name: { type: 'string', required: true }, phone: { type: 'string' } });
    writeType(app, 'order', 'orders', { reference: { type: 'string', required: true }, customer: { type: 'relation', relation: 'manyToOne', target: 'api::customer.customer' } });
  });

  await step('README 1: npm install <tgz>', () => sh('npm', ['install', '--no-audit', '--no-fund', tgz], app));

  await step('README 2 and 3: config/plugins.ts entry and .env lines', () => {
    const file = path.join(app, 'config/plugins.ts');
    const source = fs.readFileSync(file, 'utf8');
    const opening = source.match(/=> \(\{\n/);
    if (!opening || opening.index === undefined) throw new Error(`config/plugins.ts of a new app changed shape:\n${source}`);
    const at = opening.index + opening[0].length;
    fs.writeFileSync(file, source.slice(0, at) + readmeBlock('plugins-entry') + source.slice(at));
    // The README's placeholder stands for a generated key; WHATSAPP_PUBLIC_URL stays empty, as written.
    const lines = readmeBlock('env').replace('paste-the-output-of-openssl-rand-base64-32', crypto.randomBytes(32).toString('base64'));
    fs.appendFileSync(path.join(app, '.env'), `\n${lines}WHATSAPP_META_BASE_URL=${simUrl}\n`);
  });

  await step('README 4: npm run build (TypeScript and admin panel)', () => sh('npm', ['run', 'build'], app));
};

const main = async () => {
  const reuse = process.env.REUSE_APP;
  const work = reuse ? path.dirname(path.resolve(reuse)) : fs.mkdtempSync(path.join(os.tmpdir(), 'wa-new-app-'));
  const app = path.join(work, 'app');
  let strapi = null as ChildProcess | null;
  const sim = await createSimulator();
  const database = `wa_new_app_${crypto.randomBytes(4).toString('hex')}`;
  await createDatabase(database);
  try {
    if (!reuse) await setUp(work, app, sim.url, database);
    else {
      const dotenv = fs.readFileSync(path.join(app, '.env'), 'utf8')
        .replace(/^WHATSAPP_META_BASE_URL=.*$/m, `WHATSAPP_META_BASE_URL=${sim.url}`)
        .replace(/^DATABASE_NAME=.*$/m, `DATABASE_NAME=${database}`);
      fs.writeFileSync(path.join(app, '.env'), dotenv);
    }
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    await step('README 4: npm run start, until it answers', async () => {
      strapi = spawn('npm', ['run', 'start'], { cwd: app, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
      const exited = new Promise((_, reject) => strapi!.once('exit', (code) => reject(new Error(`strapi start exited with ${code}`))));
      const deadline = Date.now() + 180_000;
      for (;;) {
        const up = await Promise.race([fetch(`${base}/_health`).then((r) => r.status === 204, () => false), exited]);
        if (up) break;
        if (Date.now() > deadline) throw new Error('strapi start did not answer within 3 minutes');
        await new Promise((r) => setTimeout(r, 1000));
      }
    });

    await step('over HTTP: admin, settings, routes, a rule on the app\'s own order type', async () => {
      const call = async (method: string, url: string, body?: unknown, token?: string) => {
        const res = await fetch(`${base}${url}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        let json: any = null;
        try { json = JSON.parse(text); } catch { json = text; }
        return { status: res.status, body: json };
      };
      const admin = { email: 'owner@new-app.test', password: 'New-App-Owner-2026', firstname: 'Owner', lastname: 'New' };
      const registered = await call('POST', '/admin/register-admin', admin);
      check(registered.status === 200, 'the first admin registers', registered);
      const login = await call('POST', '/admin/login', { email: admin.email, password: admin.password });
      check(login.status === 200 && login.body.data?.token, 'admin login works', login.status);
      const token = login.body.data.token as string;

      const settings = await call('GET', '/whatsapp/settings', undefined, token);
      check(settings.status === 200 && settings.body.data, 'GET /whatsapp/settings answers', settings);
      check(settings.body.meta?.needsSetup === true && settings.body.data.identitySources.length === 0, 'a fresh app needs setup: no identity source yet (meta.needsSetup)', settings.body);
      for (const url of ['/whatsapp/numbers', '/whatsapp/conversations', '/whatsapp/notification-rules', '/whatsapp/logs/webhooks']) {
        const res = await call('GET', url, undefined, token);
        check(res.status === 200, `GET ${url} answers`, res);
      }
      const webhook = await call('POST', '/api/whatsapp/webhooks/no-such-key', {});
      check(webhook.status === 404, 'the public webhook route answers (404 for an unknown key)', webhook);

      const number = await call('POST', '/whatsapp/numbers', { label: 'New app', provider: 'meta', phone: '+15550001111', phoneNumberId: '100200300', wabaId: '900800700', accessToken: 'new-app-token', appSecret: 'new-app-secret', verifyToken: 'v' }, token);
      check(number.status === 201 && number.body.data?.id, 'a number is added (credentials encrypted with the .env key)', number);
      // An empty WHATSAPP_PUBLIC_URL= is unset (it no longer stops Strapi): webhook URLs are the app's own address.
      check(String(number.body.data.webhookUrl).startsWith(`${base}/api/whatsapp/webhooks/`), 'an empty WHATSAPP_PUBLIC_URL= means unset: webhook URLs use the app\'s HOST:PORT', number.body.data.webhookUrl);
      await sim.client.addMetaNumber({ phoneNumberId: '100200300', wabaId: '900800700', displayPhoneNumber: '15550001111', accessToken: 'new-app-token', appSecret: 'new-app-secret', webhookUrl: number.body.data.webhookUrl });
      await sim.client.createTemplate({ wabaId: '900800700', name: 'order_created', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Your order {{1}} is in.' } as any);
      const synced = await call('POST', '/whatsapp/templates/sync', { numberId: number.body.data.id }, token);
      check(synced.status >= 200 && synced.status < 300, 'templates sync from the provider', synced);

      const rule = await call('POST', '/whatsapp/notification-rules', {
        name: 'Order created', contentType: 'api::order.order', event: 'created', numberId: number.body.data.id, active: true,
        template: { name: 'order_created', language: 'en_US' },
        parameters: [{ component: 'body', index: 0, from: 'field', value: 'reference' }],
        recipient: { from: 'field', value: 'customer.phone' },
      }, token);
      check(rule.status === 201, "a CRM-event rule on the app's own order type is created", rule);

      await sim.client.setCustomer({ phone: '15550004242', reachable: true });
      const cm = '/content-manager/collection-types';
      const customer = await call('POST', `${cm}/api::customer.customer`, { name: 'Dana Customer', phone: '+1 555 000 4242' }, token);
      check(customer.status === 201, 'a customer is created in the Content Manager', customer);
      const order = await call('POST', `${cm}/api::order.order`, { reference: 'ORD-1001', customer: { connect: [{ documentId: customer.body.data.documentId }] } }, token);
      check(order.status === 201, 'an order for that customer is created', order);
      const deadline = Date.now() + 30_000;
      let sent: any[] = [];
      while (Date.now() < deadline && !sent.length) {
        sent = (await sim.client.outbound({ to: '15550004242' })) as any[];
        if (!sent.length) await new Promise((r) => setTimeout(r, 250));
      }
      check(sent.length === 1 && sent[0].type === 'template', "the rule sent its template to the order's customer.phone", sent);

      // Inbound work runs in the app's background loop: poll over HTTP until the awaited state shows.
      const until = async (what: string, read: () => Promise<any>) => {
        const end = Date.now() + 30_000;
        for (;;) {
          const value = await read();
          if (value) return value;
          if (Date.now() > end) throw new Error(`new-app test: ${what} did not happen within 30 s`);
          await new Promise((r) => setTimeout(r, 250));
        }
      };
      const conversationOf = (waId: string, ready: (c: any) => boolean = () => true) =>
        until(`a conversation from ${waId}`, async () => ((await call('GET', `/whatsapp/conversations?q=${waId}`, undefined, token)).body.data ?? []).find((c: any) => c.customerWaId === waId && ready(c)));

      const WAITING = '15550007777';
      const waiting = await call('POST', `${cm}/api::customer.customer`, { name: 'Wendy Waiting', phone: `+${WAITING}` }, token);
      check(waiting.status === 201, 'another customer is created while no identity source is configured', waiting);
      await sim.client.customerSends({ from: WAITING, to: '100200300', name: 'Wendy', text: 'Is anyone there?' });
      const before = await conversationOf(WAITING);
      check(before.crm.kind === 'unknown', 'with no identity source, her message starts an unknown conversation', before);

      const source = { kind: 'customer', label: 'Customer', uid: 'api::customer.customer', phoneField: 'phone', nameField: 'name' };
      const identity = await call('PUT', '/whatsapp/settings', { identitySources: [source] }, token);
      check(identity.status === 200 && identity.body.meta.needsSetup === false, "identity in the app's own word: the customer type, labelled Customer", identity);
      const inbox = await call('GET', '/whatsapp/settings/inbox', undefined, token);
      check(inbox.body.data?.kinds?.some((k: any) => k.kind === 'customer' && k.label === 'Customer'), 'the inbox names the kind with its label', inbox);
      const relinked = await conversationOf(WAITING, (c) => c.crm.kind === 'customer');
      check(relinked.id === before.id && relinked.crm.uid === 'api::customer.customer' && relinked.crmName === 'Wendy Waiting', 're-match: the waiting conversation is linked to her customer record without her writing again', relinked);

      await sim.client.customerSends({ from: '15550004242', to: '100200300', name: 'Dana', text: 'Where is my order?' });
      const known = await conversationOf('15550004242', (c) => c.lastMessagePreview === 'Where is my order?');
      check(known.crm.kind === 'customer' && known.crmName === 'Dana Customer', 'a message from a known customer\'s phone shows crm kind "customer"', known);

      const noTickets = await call('PUT', '/whatsapp/settings', { ticket: null }, token);
      check(noTickets.status === 200 && noTickets.body.data.ticket === null, 'tickets are switched off (ticket: null)', noTickets);
      const ticket = await call('POST', `/whatsapp/conversations/${known.id}/ticket`, {}, token);
      check(ticket.status === 400 && ticket.body.error?.message === 'Tickets are switched off in the settings', '"Create ticket" answers the clear 400', ticket);
    });
  } finally {
    if (strapi?.pid) {
      try { process.kill(-strapi.pid, 'SIGTERM'); } catch { /* already gone */ }
    }
    await sim.close();
    await pgAdmin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch((error) => process.stderr.write(`could not drop ${database}: ${error}\n`));
    if (process.env.KEEP_APP || reuse) process.stdout.write(`\nkept: ${work}\n`);
    else fs.rmSync(work, { recursive: true, force: true });
    process.stdout.write(`\n${timings.map(([name, ms]) => `${(ms / 1000).toFixed(0).padStart(5)} s  ${name}`).join('\n')}\n${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s  total\n`);
  }
};

main().catch((error) => {
  process.stderr.write(`\n${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
