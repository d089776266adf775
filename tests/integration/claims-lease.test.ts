/**
 * The claim/lease helpers every database-backed worker shares (server/claims.ts): a worker whose
 * lease ran out and was taken by another can neither give back nor finish the other's claim, for
 * webhook rows (attempts counted by the claim) and notification firings (finished by `fire`); and
 * the pending rows below a batch that hold back their people, whatever their lease.
 */
import { createClaims, type Claimable } from '../../server/claims';
import { fire } from '../../server/notifications/firings';
import { createWaitingPeople } from '../../server/inbound/people';
import { personOrderKey } from '../../server/keys';
import { fixture } from '../helpers/fixtures';
import { startStrapi, type TestApp } from '../helpers/strapi';

let app: TestApp;
const UID_EVENT = 'plugin::whatsapp.webhook-event';
const UID_FIRING = 'plugin::whatsapp.notification-firing';
const q = (uid: string) => app.strapi.db.query(uid as any);
/** A moment well before now: a claim made then has a lease that has run out. */
const longAgo = () => new Date(Date.now() - 10 * 60_000);

beforeAll(async () => {
  app = await startStrapi();
});
afterAll(async () => {
  await app?.stop();
});

test('a worker past its lease cannot give back or finish a webhook row another worker claimed since', async () => {
  // A state of its own: the inbound worker never looks at these rows.
  const claimer = () => createClaims<Claimable & Record<string, any>>(app.strapi, { uid: UID_EVENT, leaseMs: 60_000, pending: { state: 'lease-test' } as any });
  const [first, second] = [claimer(), claimer()];
  const row = await q(UID_EVENT).create({ data: { provider: 'meta', receivedAt: new Date(), rawBody: '{}', state: 'lease-test', attempts: 0 } });

  const [stale] = await first.claim([row], longAgo());
  expect(stale).toMatchObject({ id: row.id, attempts: 1 });
  // The first worker's lease has run out: the second takes the row.
  const [held] = await second.claim([row]);
  expect(held).toMatchObject({ id: row.id, attempts: 2 });

  expect(await first.unclaim([stale])).toBe(0);
  expect(await first.release([stale], { state: 'done', lastError: 'finished by a worker that lost its lease' })).toBe(0);
  const during = await q(UID_EVENT).findOne({ where: { id: row.id } });
  expect(during).toMatchObject({ state: 'lease-test', attempts: 2, lastError: null });
  expect(new Date(during.lockedUntil).getTime()).toBe(held.claimedUntil.getTime());

  // The holder ends its own claim.
  expect(await second.release([held], { state: 'done', lastError: null })).toBe(1);
  expect(await q(UID_EVENT).findOne({ where: { id: row.id } })).toMatchObject({ state: 'done', lockedUntil: null, attempts: 2 });

  // And gives one back without counting the attempt.
  const other = await q(UID_EVENT).create({ data: { provider: 'meta', receivedAt: new Date(), rawBody: '{}', state: 'lease-test', attempts: 0 } });
  const [mine] = await second.claim([other]);
  expect(await second.unclaim([mine])).toBe(1);
  expect(await q(UID_EVENT).findOne({ where: { id: other.id } })).toMatchObject({ state: 'lease-test', lockedUntil: null, attempts: 0 });
});

test('a firing worker past its lease does not record an outcome on a firing another worker claimed since', async () => {
  const claimer = () => createClaims<Claimable & Record<string, any>>(app.strapi, { uid: UID_FIRING, leaseMs: 60_000, pending: { state: 'lease-test' } as any, countsAttempts: false });
  const [first, second] = [claimer(), claimer()];
  // Its rule does not exist: firing it records "skipped, the rule was deleted" at once.
  const firing = await q(UID_FIRING).create({ data: { ruleId: 999_999, key: `lease-test:${Date.now()}`, state: 'lease-test', attempts: 0 } });
  const [stale] = await first.claim([firing], longAgo());
  const [held] = await second.claim([firing]);
  expect(held).toBeDefined();

  await fire(app.strapi, stale);
  await first.release([stale], { state: 'failed', error: 'released by a worker that lost its lease' });
  expect(await q(UID_FIRING).findOne({ where: { id: firing.id } })).toMatchObject({ state: 'lease-test', error: null, attempts: 0 });

  await fire(app.strapi, held);
  expect(await q(UID_FIRING).findOne({ where: { id: firing.id } })).toMatchObject({ state: 'skipped', error: 'the rule was deleted', attempts: 1, lockedUntil: null });
});

describe('pending rows below a batch', () => {
  /** A state of its own: the inbound worker never looks at these rows. */
  const STATE = 'order-test';
  const claimer = () => createClaims<any>(app.strapi, { uid: UID_EVENT, leaseMs: 60_000, pending: { state: STATE } });
  const textFrom = (from: string) => {
    const body = fixture('meta/inbound-text.json');
    const value = body.entry[0].changes[0].value;
    value.contacts = [{ profile: { name: `Customer ${from}` }, wa_id: from }];
    value.messages[0] = { ...value.messages[0], from, id: `wamid.order-${from}` };
    delete value.messages[0].from_user_id;
    return JSON.stringify(body);
  };
  const row = (from: string, data: Record<string, unknown> = {}) =>
    q(UID_EVENT).create({ data: { provider: 'meta', receivedAt: new Date(), rawBody: textFrom(from), bodyEncoding: 'utf8', state: STATE, attempts: 0, numberId: 1, ...data } });
  afterEach(async () => {
    await q(UID_EVENT).deleteMany({ where: { state: { $in: [STATE, 'done'] }, rawBody: { $contains: 'wamid.order-' } } });
  });

  test('are every pending row whatever its lease (one given back a moment ago is free), except free rows of skipped numbers', async () => {
    const claims = claimer();
    const given = await row('15550800001');
    const [held] = await claims.claim([given]);
    expect(await claims.unclaim([held])).toBe(1);
    const leased = await row('15550800002');
    await claims.claim([leased]);
    const backoff = await row('15550800003', { lockedUntil: new Date(Date.now() + 3_600_000) });
    const never = await row('15550800004');
    const skippedFree = await row('15550800005', { numberId: 2 });
    const skippedLocked = await row('15550800006', { numberId: 2, lockedUntil: new Date(Date.now() + 3_600_000) });
    await row('15550800007', { state: 'done' });
    const batch = await row('15550800008');

    const page = await claims.pendingBefore(batch.id, { skip: { numberId: [2] } });
    expect(page).toEqual([
      { id: given.id, free: true },
      { id: leased.id, free: false },
      { id: backoff.id, free: false },
      { id: never.id, free: true },
      { id: skippedLocked.id, free: false },
    ]);
    expect(page.map((r) => r.id)).not.toContain(skippedFree.id);
    // Paged by id.
    expect(await claims.pendingBefore(batch.id, { afterId: backoff.id, limit: 1, skip: { numberId: [2] } })).toEqual([{ id: never.id, free: true }]);
  });

  test('a row another worker gave back between this worker\'s two reads holds back its person, and is answered as free', async () => {
    const claims = claimer();
    const waitingPeople = createWaitingPeople(app.strapi, claims);
    // Another worker held the earlier row while this one read its batch, then gave it back.
    const earlier = await row('15550800011');
    const [theirs] = await claims.claim([earlier]);
    const batch = [await row('15550800011'), await row('15550800012')];
    await claims.unclaim([theirs]);

    const waiting = new Set<string>();
    const free = await waitingPeople(batch[1].id + 1, waiting, new Set(batch.map((r) => r.id)));
    expect([...waiting]).toEqual([personOrderKey('15550800011')]);
    expect(free).toEqual([earlier.id]);
  });
});
