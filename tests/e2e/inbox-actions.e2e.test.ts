/**
 * The inbox page's actions in a real browser against the example CRM and the provider simulator:
 * new messages and receipts arriving over the live stream (no reload, no polling), the list
 * reordering, assigning to another admin, the assignee filters, a ticket made in the host's ticket
 * type, close and reopen, the CRM record link, and "Load more".
 */
import type { Page } from 'playwright-core';
import type { RunningSimulator } from '../../simulator';
import { adminRequest, connectMetaNumber, startBrowserTest, stopBrowserTest } from './support/admin';
import { until, type AdminSession } from './support/browser';
import type { ExampleServer } from './support/exampleServer';

const META = {
  label: 'Support EU',
  phone: '+15550004444',
  phoneNumberId: '109876543210444',
  wabaId: '102030405060444',
  accessToken: 'EAAG-e2e-actions-access-token-0123456789',
  appSecret: 'e2e-actions-app-secret-0123456789abcdef',
  verifyToken: 'e2e-actions-verify-token-2026',
};
const ALICE = { phone: '15550005001', name: 'Alice Actions' };
const BOB = { phone: '15550005002', name: 'Bob Contact' };
const SECOND = { firstname: 'Sam', lastname: 'Second', email: 'sam.second@test.local' };

jest.setTimeout(300_000);

let sim: RunningSimulator | undefined;
let server: ExampleServer | undefined;
let session: AdminSession | undefined;
let page: Page;
let token: string;
const step = (name: string, fn: () => Promise<void>) => session!.step(name, fn);

/** The example's admin API, as the e2e super admin. */
const api = <T = any>(method: string, path: string, body?: unknown) => adminRequest<T>(server!, token, method, path, body);

const conversationOf = async (waId: string) => {
  const res = await api<{ data: any[] }>('GET', `/whatsapp/conversations?q=${waId}`);
  return res.body.data.find((c) => c.customerWaId === waId);
};

beforeAll(async () => {
  ({ sim, server, session, page, token } = await startBrowserTest('inbox-actions'));
});

afterAll(() => stopBrowserTest({ sim, server, session }));

test('staff work a conversation from the inbox, and it stays live', async () => {
  let secondId = 0;
  let bobContact = '';

  await step('a number, a second admin, and a contact in the CRM', async () => {
    await connectMetaNumber({ sim: sim!, server: server!, token }, META);
    // Receipts come from the test, not by themselves: read is what the customer does below.
    await sim!.client.setFault(undefined, { autoRead: false });

    const roles = await api<{ data: { id: number; code: string }[] }>('GET', '/admin/roles');
    const superAdmin = roles.body.data.find((r) => r.code === 'strapi-super-admin')!;
    const user = await api<{ data: { id: number } }>('POST', '/admin/users', { ...SECOND, roles: [superAdmin.id] });
    expect(user.status).toBe(201);
    secondId = user.body.data.id;
    expect((await api('PUT', `/admin/users/${secondId}`, { isActive: true })).status).toBe(200);

    const contact = await api<{ data: { documentId: string } }>('POST', '/content-manager/collection-types/api::contact.contact', { name: BOB.name, phone: `+${BOB.phone}` });
    expect(contact.status).toBe(201);
    bobContact = contact.body.data.documentId;
  });

  await step('two customers write; the inbox lists the latest first', async () => {
    await sim!.client.customerSends({ from: ALICE.phone, to: META.phoneNumberId, name: ALICE.name, text: 'Hi, Alice here' });
    await sim!.client.customerSends({ from: BOB.phone, to: META.phoneNumberId, name: BOB.name, text: 'Bob asking about an invoice' });
    await until('both conversations to exist', async () => Boolean((await conversationOf(ALICE.phone)) && (await conversationOf(BOB.phone))?.lastMessagePreview));
  });

  const streams: string[] = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname === '/api/whatsapp/stream') streams.push(req.url());
  });
  let navigations = 0;
  const list = page.getByRole('list', { name: 'Conversations' });
  const names = () => list.locator('li [id$="-name"]').allTextContents();
  const alice = list.getByRole('listitem', { name: ALICE.name });
  const bob = list.getByRole('listitem', { name: BOB.name });
  const thread = page.getByRole('log', { name: 'Messages' });
  const header = page.getByRole('heading', { level: 2 });
  const select = async (combobox: string, option: string) => {
    await page.getByRole('combobox', { name: combobox, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  await step('open the inbox: it goes live over the event stream', async () => {
    await session!.logIn();
    await page.goto('/admin/plugins/whatsapp');
    await page.getByTestId('inbox-live').filter({ hasText: 'Live' }).waitFor();
    // A document load, not a history update (the inbox keeps its view in the URL).
    page.on('load', () => {
      navigations++;
    });
    await bob.waitFor();
    expect(await names()).toEqual([BOB.name, ALICE.name]);
    // Bob's phone is a Contact's in the CRM.
    expect(await bob.textContent()).toContain('Contact');
    expect(await bob.textContent()).toContain(`via ${META.label}`);
    expect(streams.length).toBeGreaterThan(0);
    expect(streams.every((url) => new URL(url).searchParams.has('ticket'))).toBe(true);
  });

  await step('a new message arrives live and the list reorders', async () => {
    await alice.getByRole('button').click();
    await header.filter({ hasText: ALICE.name }).waitFor();
    await thread.getByText('Hi, Alice here').waitFor();
    await page.getByTestId('conversation-window').filter({ hasText: /Window open: \d+ h \d+ min left/ }).waitFor();
    await sim!.client.customerSends({ from: ALICE.phone, to: META.phoneNumberId, name: ALICE.name, text: 'Any news on my order?' });
    await thread.getByText('Any news on my order?').waitFor();
    await until('Alice to move to the top', async () => (await names())[0] === ALICE.name);
    // The open conversation is read as it arrives: no unread badge stays on it.
    await until('the unread count to clear', async () => (await conversationOf(ALICE.phone)).unread === 0);
    expect(navigations).toBe(0);
  });

  await step('a receipt moves the ticks to Read live', async () => {
    const conversation = await conversationOf(ALICE.phone);
    const reply = await api('POST', `/whatsapp/conversations/${conversation.id}/messages`, { type: 'text', text: 'It ships tomorrow.' });
    expect(reply.status).toBe(201);
    const bubble = thread.getByRole('listitem').filter({ hasText: 'It ships tomorrow.' });
    await bubble.waitFor();
    await until('the reply to show delivered', async () => /Delivered/.test((await bubble.textContent()) ?? ''), 15_000);
    const out = (await sim!.client.outbound({ to: ALICE.phone })).find((m) => m.text === 'It ships tomorrow.');
    expect(out).toBeTruthy();
    await sim!.client.read(out!.id);
    await until('the reply to show read', async () => /Read/.test((await bubble.textContent()) ?? ''), 15_000);
    expect(navigations).toBe(0);
  });

  await step('after a network drop the stream reconnects and catches up, once', async () => {
    const before = streams.length;
    const live = page.getByTestId('inbox-live');
    await page.context().setOffline(true);
    await live.filter({ hasText: 'Offline' }).waitFor();
    await sim!.client.customerSends({ from: ALICE.phone, to: META.phoneNumberId, name: ALICE.name, text: 'Sent while you were offline' });
    const { id } = await conversationOf(ALICE.phone);
    await until('the server to have it', async () =>
      (await api<{ data: { text: string | null }[] }>('GET', `/whatsapp/conversations/${id}/messages`)).body.data.some((m) => m.text === 'Sent while you were offline')
    );
    await page.context().setOffline(false);
    await live.filter({ hasText: 'Live' }).waitFor();
    await thread.getByText('Sent while you were offline').waitFor();
    expect(await thread.getByText('Sent while you were offline').count()).toBe(1);
    // The new stream asked for what it missed since the last event it had.
    const resumed = streams.slice(before).map((url) => new URL(url).searchParams);
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed.every((params) => /^\d+$/.test(params.get('lastEventId') ?? ''))).toBe(true);
    expect(navigations).toBe(0);
  });

  await step('assign the conversation to the second admin and see it', async () => {
    await select('Assignee', `${SECOND.firstname} ${SECOND.lastname}`);
    await alice.getByLabel(`Assigned to ${SECOND.firstname} ${SECOND.lastname}`).waitFor();
    expect((await conversationOf(ALICE.phone)).assigneeId).toBe(secondId);
  });

  await step('filter unassigned, then mine; assigning to me shows it under mine', async () => {
    await select('Filter by assignee', 'Unassigned');
    await until('only Bob to be listed', async () => JSON.stringify(await names()) === JSON.stringify([BOB.name]));
    await select('Filter by assignee', 'Assigned to me');
    await page.getByText('No conversations match these filters.').waitFor();
    // Alice's thread stays open though the list no longer shows her.
    await header.filter({ hasText: ALICE.name }).waitFor();
    const me = (await api<{ data: { firstname?: string; lastname?: string; username?: string; email: string } }>('GET', '/admin/users/me')).body.data;
    const myName = [me.firstname, me.lastname].filter(Boolean).join(' ') || me.username || me.email;
    await select('Assignee', myName);
    await until('Alice to be listed as mine', async () => JSON.stringify(await names()) === JSON.stringify([ALICE.name]));
    await select('Filter by assignee', 'Anyone');
    await bob.waitFor();
  });

  await step('create a ticket: it exists in the host, linked to the conversation', async () => {
    await page.getByRole('button', { name: 'Create ticket' }).click();
    const open = page.getByRole('link', { name: 'Open ticket' });
    await open.waitFor();
    const conversation = await conversationOf(ALICE.phone);
    expect(conversation.ticket).toMatchObject({ uid: 'api::ticket.ticket' });
    const ticket = await api<{ data: any }>('GET', `/content-manager/collection-types/api::ticket.ticket/${conversation.ticket.documentId}`);
    expect(ticket.status).toBe(200);
    expect(ticket.body.data).toMatchObject({ whatsappConversationId: conversation.id, subject: `WhatsApp: ${ALICE.name}` });
    expect(ticket.body.data.description).toContain('Any news on my order?');
    expect(await open.getAttribute('href')).toBe(`/admin/content-manager/collection-types/api::ticket.ticket/${conversation.ticket.documentId}`);
    expect(await page.getByRole('button', { name: 'Create ticket' }).count()).toBe(0);
  });

  await step('close and reopen', async () => {
    await page.getByRole('button', { name: 'Close conversation' }).click();
    await page.getByRole('button', { name: 'Reopen' }).waitFor();
    expect((await conversationOf(ALICE.phone)).state).toBe('closed');
    await until('the list to mark Alice closed', async () => /Closed/.test((await alice.textContent()) ?? ''));
    await select('Filter by status', 'Open');
    await until('only Bob to be open', async () => JSON.stringify(await names()) === JSON.stringify([BOB.name]));
    await page.getByRole('button', { name: 'Reopen' }).click();
    await page.getByRole('button', { name: 'Close conversation' }).waitFor();
    expect((await conversationOf(ALICE.phone)).state).toBe('open');
    await until('Alice to be listed again', async () => (await names()).includes(ALICE.name));
    await select('Filter by status', 'Open and closed');
  });

  await step('changes made elsewhere show up live', async () => {
    const conversation = await conversationOf(BOB.phone);
    expect((await api('POST', `/whatsapp/conversations/${conversation.id}/assign`, { assigneeId: secondId })).status).toBe(200);
    await bob.getByLabel(`Assigned to ${SECOND.firstname} ${SECOND.lastname}`).waitFor();
    expect(navigations).toBe(0);
  });

  await step("the CRM record opens in the Content Manager", async () => {
    await bob.getByRole('button').click();
    await header.filter({ hasText: BOB.name }).waitFor();
    await select('Filter by status', 'Open');
    await page.getByRole('link', { name: 'Open Contact' }).click();
    await page.waitForURL(`**/admin/content-manager/collection-types/api::contact.contact/${bobContact}**`);
    await page.goBack();
    await page.getByTestId('inbox-live').filter({ hasText: 'Live' }).waitFor();
    // Back in the inbox: the same conversation open, the same filter.
    await header.filter({ hasText: BOB.name }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Filter by status' }).textContent()).toBe('Open');
    await select('Filter by status', 'Open and closed');
  });

  await step('more conversations than a page: Load more', async () => {
    for (let i = 0; i < 24; i += 1) {
      await sim!.client.customerSends({ from: `1555000${String(6000 + i)}`, to: META.phoneNumberId, name: `Customer ${i}`, text: `Message ${i}` });
    }
    await until('the server to hold all 26', async () => (await api('GET', '/whatsapp/conversations?pageSize=1')).body.meta.pagination.total === 26, 30_000);
    // The first page as the API orders it: newest activity first.
    const firstPage = (await api<{ data: any[] }>('GET', '/whatsapp/conversations?pageSize=25')).body.data.map((c) => c.crmName || c.customerName);
    await until('the list to show the first page', async () => JSON.stringify(await names()) === JSON.stringify(firstPage), 15_000);
    // A live event while the next page is on its way must not swallow the click: the page's answer
    // is held until the reload the event starts has been asked for.
    let asked = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const listRequests = (url: URL) => url.pathname.endsWith('/whatsapp/conversations');
    await page.route(listRequests, async (route) => {
      if (asked++ === 0) await released;
      await route.continue();
    });
    try {
      await page.getByRole('button', { name: 'Load more' }).click();
      await until('the next page to be asked for', async () => asked >= 1);
      const before = asked;
      await sim!.client.customerSends({ from: '15550006000', to: META.phoneNumberId, name: 'Customer 0', text: 'One more thing' });
      await until('the live reload to be asked for', async () => asked > before, 15_000);
      release();
      await until('all 26 conversations', async () => (await names()).length === 26);
    } finally {
      release();
      await page.unroute(listRequests);
    }
    expect(new Set(await names()).size).toBe(26);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  });

  await step('a link to a conversation that is not there opens nothing, and says so', async () => {
    await page.goto('/admin/plugins/whatsapp?conversation=999999');
    await page.getByText('This conversation does not exist or is not one of your team’s.').waitFor();
    await page.getByText('Select a conversation to read it.').waitFor();
    await until('the URL to drop it', async () => !new URL(page.url()).searchParams.has('conversation'));
  });

  await step('staff who may only read see who has it, and no actions', async () => {
    const role = await api<{ data: { id: number } }>('POST', '/admin/roles', { name: 'Inbox readers', description: 'read the WhatsApp inbox' });
    expect(role.status).toBe(201);
    const granted = await api('PUT', `/admin/roles/${role.body.data.id}/permissions`, {
      permissions: [{ action: 'plugin::whatsapp.inbox.read', subject: null, properties: {}, conditions: [] }],
    });
    expect(granted.status).toBe(200);
    const reader = { firstname: 'Rita', lastname: 'Reader', email: 'rita.reader@test.local', password: 'Rita-Reader-2026' };
    const user = await api<{ data: { id: number } }>('POST', '/admin/users', { firstname: reader.firstname, lastname: reader.lastname, email: reader.email, roles: [role.body.data.id] });
    expect(user.status).toBe(201);
    expect((await api('PUT', `/admin/users/${user.body.data.id}`, { isActive: true, password: reader.password })).status).toBe(200);

    const context = await session!.browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', baseURL: server!.baseUrl });
    try {
      const readerPage = await context.newPage();
      const errors: string[] = [];
      readerPage.on('pageerror', (error) => errors.push(error.message));
      await readerPage.goto('/admin');
      await readerPage.getByRole('textbox', { name: 'Email' }).fill(reader.email);
      await readerPage.getByRole('textbox', { name: 'Password' }).fill(reader.password);
      await readerPage.getByRole('button', { name: 'Login' }).click();
      await readerPage.waitForURL((url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth'));
      await readerPage.goto('/admin/plugins/whatsapp');
      await readerPage.getByTestId('inbox-live').filter({ hasText: 'Live' }).waitFor();
      const readerList = readerPage.getByRole('list', { name: 'Conversations' });
      await readerList.getByRole('listitem', { name: ALICE.name }).getByRole('button').click();
      await readerPage.getByRole('heading', { level: 2 }).filter({ hasText: ALICE.name }).waitFor();
      const me = (await api<{ data: { firstname: string; lastname?: string } }>('GET', '/admin/users/me')).body.data;
      await readerPage.getByText(`Assigned to ${[me.firstname, me.lastname].filter(Boolean).join(' ')}`).waitFor();
      await readerPage.getByRole('link', { name: 'Open ticket' }).waitFor();
      expect(await readerPage.getByRole('combobox', { name: 'Assignee', exact: true }).count()).toBe(0);
      for (const action of ['Close conversation', 'Reopen', 'Create ticket']) expect(await readerPage.getByRole('button', { name: action }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  expect(session!.browserErrors).toEqual([]);
});
