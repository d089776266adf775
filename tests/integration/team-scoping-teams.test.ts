import type { RunningSimulator } from '../../simulator';
import type { TestApp } from '../helpers/strapi';
import { as, createStaff } from '../helpers/admin';
import { connectMetaNumber, startWithSimulator } from '../helpers/simulated-app';
import { openStream } from '../helpers/sse';

/**
 * Teams as admin roles: who sees which roles in the team list, who may give a number which team,
 * and a team change reaching a live stream that is already open.
 */
let sim: RunningSimulator;
let app: TestApp;
let base: string;
let admin: ReturnType<typeof as>;
type Staff = Awaited<ReturnType<typeof createStaff>>;
let reader: Staff;
let manager: Staff;
let outsider: Staff;
let streamer: Staff;
let others: Staff;

const WABA = '333333333333333';
const NUMBERS_READ = 'plugin::whatsapp.numbers.read';
const NUMBERS_MANAGE = 'plugin::whatsapp.numbers.manage';

const settle = async () => {
  const plugin = app.strapi.plugin('whatsapp');
  await sim.client.settle();
  for (const name of ['inbound', 'outbox', 'inbound']) {
    plugin.service(name).kick();
    await plugin.service(name).idle();
  }
};

const numberBody = (label: string, pnid: string, phone: string, teamRoleIds: number[]) => ({
  label,
  provider: 'meta',
  phone,
  phoneNumberId: pnid,
  wabaId: WABA,
  accessToken: `tok-${pnid}`,
  appSecret: `sec-${pnid}`,
  verifyToken: 'v',
  teamRoleIds,
});

/** A number created by the super admin and known to the simulator, so customers can write to it. */
const addNumber = (label: string, pnid: string, phone: string, teamRoleIds: number[]) => connectMetaNumber({ admin, sim, base }, numberBody(label, pnid, phone, teamRoleIds));

const teamsOf = async (client: ReturnType<typeof as>) => {
  const res = await client.get('/whatsapp/teams');
  expect(res.status).toBe(200);
  return res.body.data as { id: number; name: string; assignable: boolean }[];
};

const pathsOf = (res: any) => res.body.error.details.errors.map((e: any) => e.path);

beforeAll(async () => {
  ({ sim, app, admin, base } = await startWithSimulator());
  reader = await createStaff(app.strapi, app.server, 'TeamsReader', [NUMBERS_READ]);
  manager = await createStaff(app.strapi, app.server, 'TeamsManager', [NUMBERS_READ, NUMBERS_MANAGE]);
  outsider = await createStaff(app.strapi, app.server, 'TeamsOutsider', [NUMBERS_READ]);
  streamer = await createStaff(app.strapi, app.server, 'TeamsStreamer', ['plugin::whatsapp.inbox.read']);
  others = await createStaff(app.strapi, app.server, 'TeamsOthers', ['plugin::whatsapp.inbox.read']);
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

describe('the team list', () => {
  test('a numbers.read holder sees the roles they are in and the teams of the numbers they see, not every role', async () => {
    await addNumber('Shared', '330000000000001', '+15550031111', [reader.role.id, others.role.id]);
    await addNumber('Outsiders only', '330000000000002', '+15550032222', [outsider.role.id]);
    const everyRole = await app.strapi.db.query('admin::role').findMany({ select: ['id'] });

    const all = await teamsOf(admin);
    expect(all.map((t) => t.id).sort()).toEqual(everyRole.map((r: any) => r.id).sort());
    expect(all.every((t) => t.assignable)).toBe(true);

    const seen = await teamsOf(as(app.server, reader.token));
    expect(seen.map((t) => [t.id, t.name, t.assignable]).sort()).toEqual(
      [
        [reader.role.id, 'TeamsReader role', true],
        [others.role.id, 'TeamsOthers role', false],
      ].sort()
    );
  });

  test('a numbers.manage holder is offered the roles they are in as assignable', async () => {
    const offered = (await teamsOf(as(app.server, manager.token))).filter((t) => t.assignable).map((t) => t.id);
    expect(offered).toEqual([manager.role.id]);
  });
});

describe('assigning teams', () => {
  test('a team manager cannot create a number for another team; a 400 names teamRoleIds and nothing is created', async () => {
    const m = as(app.server, manager.token);
    for (const teamRoleIds of [[outsider.role.id], [manager.role.id, outsider.role.id]]) {
      const res = await m.post('/whatsapp/numbers').send(numberBody('Not theirs', '330000000000003', '+15550033333', teamRoleIds));
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('ValidationError');
      expect(pathsOf(res)).toEqual([['teamRoleIds']]);
      expect(res.body.error.message).toContain(String(outsider.role.id));
    }
    const labels = (await admin.get('/whatsapp/numbers')).body.data.map((n: any) => n.label);
    expect(labels).not.toContain('Not theirs');

    const own = await m.post('/whatsapp/numbers').send(numberBody('Their own', '330000000000003', '+15550033333', [manager.role.id]));
    expect(own.status).toBe(201);
    expect(own.body.data.teamRoleIds).toEqual([manager.role.id]);
  });

  test('a team manager cannot add another team to a number, but keeps the teams it already has', async () => {
    const m = as(app.server, manager.token);
    const own = (await admin.post('/whatsapp/numbers').send(numberBody('Managed', '330000000000005', '+15550035050', [manager.role.id]))).body.data;
    const widened = await m.put(`/whatsapp/numbers/${own.id}`).send({ teamRoleIds: [manager.role.id, outsider.role.id] });
    expect(widened.status).toBe(400);
    expect(pathsOf(widened)).toEqual([['teamRoleIds']]);
    expect((await admin.get(`/whatsapp/numbers/${own.id}`)).body.data.teamRoleIds).toEqual([manager.role.id]);

    // Given both teams by a super admin: the manager may edit it and keep the other team.
    const both = await admin.put(`/whatsapp/numbers/${own.id}`).send({ teamRoleIds: [manager.role.id, outsider.role.id] });
    expect(both.status).toBe(200);
    const kept = await m.put(`/whatsapp/numbers/${own.id}`).send({ label: 'Managed, shared', teamRoleIds: [outsider.role.id, manager.role.id] });
    expect(kept.status).toBe(200);
    expect(kept.body.data).toMatchObject({ label: 'Managed, shared', teamRoleIds: [outsider.role.id, manager.role.id] });
    expect((await m.put(`/whatsapp/numbers/${own.id}`).send({ teamRoleIds: [manager.role.id, outsider.role.id, reader.role.id] })).status).toBe(400);
  });

  test('a super admin assigns any team', async () => {
    const res = await admin.post('/whatsapp/numbers').send(numberBody('For the readers', '330000000000004', '+15550034444', [reader.role.id, outsider.role.id]));
    expect(res.status).toBe(201);
    expect(res.body.data.teamRoleIds).toEqual([reader.role.id, outsider.role.id]);
  });
});

describe('a team change and an open stream', () => {
  test('after a heartbeat, a number taken from the team is silent and a number given to it is heard', async () => {
    const fromTeam = await addNumber('Leaving', '330000000000011', '+15550035555', [streamer.role.id]);
    const toTeam = await addNumber('Arriving', '330000000000012', '+15550036666', [others.role.id]);
    const both = await addNumber('Both', '330000000000013', '+15550037777', [streamer.role.id, others.role.id]);
    const say = async (number: any, text: string) => {
      await sim.client.customerSends({ from: '15550038888', to: number.phoneNumberId, name: 'Cleo', text });
      await settle();
    };
    const created = (number: any) => (e: any) => e.event === 'message.created' && e.data.numberId === number.id;

    // Each heartbeat re-computes the numbers the stream may carry: a short one, so the test waits little.
    app.strapi.config.set('plugin::whatsapp.streamHeartbeatMs', 50);
    const stream = await openStream(`${base}/whatsapp/stream`, { Authorization: `Bearer ${streamer.token}` });
    try {
      expect(stream.status).toBe(200);
      await stream.waitFor((e) => e.event === 'ready');
      await say(fromTeam, 'before the change');
      await stream.waitFor(created(fromTeam));

      expect((await admin.put(`/whatsapp/numbers/${fromTeam.id}`).send({ teamRoleIds: [others.role.id] })).status).toBe(200);
      expect((await admin.put(`/whatsapp/numbers/${toTeam.id}`).send({ teamRoleIds: [streamer.role.id] })).status).toBe(200);
      // An event written after the change; the second heartbeat after it re-checked access after the change.
      await say(both, 'marker');
      const marker = await stream.waitFor(created(both));
      await stream.heartbeatsAfter(marker, 2);

      await say(fromTeam, 'after the change, hidden');
      await say(toTeam, 'after the change, visible');
      // Events go out in order: the visible one arriving means the hidden one was already passed over.
      await stream.waitFor(created(toTeam));
      expect(stream.events.slice(stream.events.indexOf(marker)).filter((e) => e.data?.numberId === fromTeam.id)).toEqual([]);
    } finally {
      stream.close();
      app.strapi.config.set('plugin::whatsapp.streamHeartbeatMs', 20_000);
    }
  });
});
