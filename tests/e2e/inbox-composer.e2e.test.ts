/**
 * The composer and the thread in a real browser against the example CRM and the provider simulator:
 * templates once the 24-hour window is closed (their parameters reach the customer exactly), a new
 * conversation started with a template, a file and a quick reply sent from the composer, and a
 * read-only colleague who sees the thread but cannot write.
 */
import type { Page } from 'playwright-core';
import type { RunningSimulator } from '../../simulator';
import { tinyPng } from '../helpers/png';
import { adminRequest, connectMetaNumber, startBrowserTest, stopBrowserTest } from './support/admin';
import { until, type AdminSession } from './support/browser';
import { ARTIFACTS, adminToken, type ExampleServer } from './support/exampleServer';

const META = {
  label: 'Sales US',
  phone: '+15550001111',
  phoneNumberId: '109876543210987',
  wabaId: '102030405060708',
  accessToken: 'EAAG-e2e-composer-access-token-0123456789',
  appSecret: 'e2e-composer-app-secret-0123456789abcdef',
  verifyToken: 'e2e-composer-verify-token-2026',
};
const ALICE = { phone: '15550002222', name: 'Alice Example' };
const BOB = { phone: '15550003333', name: 'Bob Example' };
const CAROL = { phone: '15550004444', name: 'Carol Example' };
const READER = { email: 'reader@e2e.test.local', password: 'Reader-Passw0rd-2026', firstname: 'Rita', lastname: 'Reader' };
const SENDER = { email: 'sender@e2e.test.local', password: 'Sender-Passw0rd-2026', firstname: 'Sam', lastname: 'Sender' };
const DAY_MS = 24 * 60 * 60 * 1000;

jest.setTimeout(300_000);

let sim: RunningSimulator;
let server: ExampleServer;
let session: AdminSession;
let page: Page;
let token: string;
const step = (name: string, fn: () => Promise<void>) => session.step(name, fn);

const api = (method: string, path: string, body?: unknown, bearer = token) => adminRequest(server, bearer, method, path, body);

/** The body parameters of the template message the simulator's customer received. */
const bodyParams = (message: any) => (message.request?.template?.components ?? []).find((c: any) => c.type === 'body')?.parameters;

/** A role with exactly `actions`, and a registered user in it, over the admin API as the admin panel does it. */
const createAdmin = async (who: typeof READER, roleName: string, actions: string[]) => {
  const role = await api('POST', '/admin/roles', { name: roleName, description: `${roleName} (browser test)` });
  expect(role.status).toBe(201);
  const permissions = await api('PUT', `/admin/roles/${role.body.data.id}/permissions`, {
    permissions: actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] })),
  });
  expect(permissions.status).toBe(200);
  const user = await api('POST', '/admin/users', { firstname: who.firstname, lastname: who.lastname, email: who.email, roles: [role.body.data.id] });
  expect(user.status).toBe(201);
  const registered = await fetch(`${server.baseUrl}/admin/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ registrationToken: user.body.data.registrationToken, userInfo: { firstname: who.firstname, lastname: who.lastname, password: who.password } }),
  });
  expect(registered.status).toBe(200);
};

/** A second browser context logged in as `who`, on the inbox. */
const openAs = async (who: typeof READER) => {
  const context = await session.browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', baseURL: server.baseUrl });
  const other = await context.newPage();
  const errors: string[] = [];
  other.on('pageerror', (error) => errors.push(error.message));
  await other.goto('/admin');
  await other.getByRole('textbox', { name: 'Email' }).fill(who.email);
  await other.getByRole('textbox', { name: 'Password' }).fill(who.password);
  await other.getByRole('button', { name: 'Login' }).click();
  await other.waitForURL((url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth'));
  await other.goto('/admin/plugins/whatsapp');
  return { context, page: other, errors };
};

const list = () => page.getByRole('list', { name: 'Conversations' });
const thread = () => page.getByRole('log', { name: 'Messages' });
const openConversation = async (name: string) => {
  const item = list().getByRole('listitem', { name });
  await item.waitFor({ state: 'visible', timeout: 15_000 });
  await item.getByRole('button').click();
};
const chooseTemplate = async (scope: Page | ReturnType<Page['getByRole']>, label: string) => {
  await scope.getByRole('combobox', { name: 'Template' }).click();
  await page.getByRole('option', { name: label }).click();
};

beforeAll(async () => {
  ({ sim, server, session, page, token } = await startBrowserTest('inbox-composer'));
  await connectMetaNumber({ sim, server, token }, META);
  await sim.client.createTemplate({ wabaId: META.wabaId, name: 'order_update', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hi {{1}}, your order {{2}} has shipped.' });
  await sim.client.createTemplate({
    wabaId: META.wabaId,
    name: 'welcome_named',
    language: 'en_US',
    category: 'MARKETING',
    status: 'APPROVED',
    parameter_format: 'NAMED',
    components: [{ type: 'BODY', text: 'Hello {{customer_name}}, welcome to {{shop}}!' } as any],
  });
  // Not approved: never offered.
  await sim.client.createTemplate({ wabaId: META.wabaId, name: 'draft_offer', language: 'en_US', category: 'MARKETING', status: 'PENDING', body: 'Soon: {{1}}' });
  const sync = await api('POST', '/whatsapp/templates/sync', {});
  expect(sync.body.data[0]).toMatchObject({ synced: 3, error: null });
  expect((await api('POST', '/whatsapp/quick-replies', { name: 'thanks', text: 'Thanks for your patience, we are on it!' })).status).toBe(201);
  await sim.client.setCustomer({ phone: CAROL.phone, name: CAROL.name });

  // Bob wrote 25 hours ago: his window is closed. The simulator's clock dates his message.
  await sim.client.clock({ freeze: true, at: Date.now() - DAY_MS - 60 * 60 * 1000 });
  await sim.client.customerSends({ from: BOB.phone, to: META.phoneNumberId, name: BOB.name, text: 'Did my order ship?' });
  await sim.client.clock({ freeze: true, at: Date.now() });
  await sim.client.clock({ freeze: false });
  await sim.client.customerSends({ from: ALICE.phone, to: META.phoneNumberId, name: ALICE.name, text: 'Can you send me a photo of the part?' });

  await session.logIn();
  await page.goto('/admin/plugins/whatsapp');
  await page.getByRole('heading', { name: 'WhatsApp', level: 1 }).waitFor();
});

afterAll(() => stopBrowserTest({ sim, server, session }));

test('after the window closes the composer offers templates, and the customer gets exactly the parameters filled in', async () => {
  await step('open the conversation whose window is closed', async () => {
    await openConversation(BOB.name);
    await thread().getByText('Did my order ship?').waitFor();
    await page.getByText('The 24-hour window is closed — send a template').waitFor();
    expect(await page.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
  });

  await step('only approved templates are offered', async () => {
    await page.getByRole('combobox', { name: 'Template' }).click();
    await page.getByRole('option', { name: 'welcome_named (en_US)' }).waitFor();
    const options = await page.getByRole('option').allTextContents();
    expect(options.sort()).toEqual(['order_update (en_US)', 'welcome_named (en_US)']);
    await page.getByRole('option', { name: 'order_update (en_US)' }).click();
  });

  await step('fill the parameters and watch the preview', async () => {
    const send = page.getByRole('button', { name: 'Send template' });
    expect(await send.isDisabled()).toBe(true);
    await page.getByRole('textbox', { name: 'Body {{1}}' }).fill('Bob');
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByText('Hi Bob, your order {{2}} has shipped.').waitFor();
    await page.getByRole('textbox', { name: 'Body {{2}}' }).fill('A-1042');
    await preview.getByText('Hi Bob, your order A-1042 has shipped.').waitFor();
    expect(await send.isDisabled()).toBe(false);
    await page.screenshot({ path: `${ARTIFACTS}/inbox-composer-template.png` });
  });

  await step('send it: the customer receives exactly those parameters', async () => {
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST' && /\/whatsapp\/conversations\/\d+\/messages$/.test(new URL(res.url()).pathname)),
      page.getByRole('button', { name: 'Send template' }).click(),
    ]);
    expect(response.status()).toBe(201);
    expect(response.request().postDataJSON()).toEqual({
      type: 'template',
      template: { name: 'order_update', language: 'en_US', params: { body: [{ type: 'text', text: 'Bob' }, { type: 'text', text: 'A-1042' }] } },
      idempotencyKey: expect.any(String),
    });
    let received: any;
    await until('Bob to receive the template', async () => {
      received = (await sim.client.outbound({ to: BOB.phone })).find((m) => m.type === 'template');
      return Boolean(received);
    });
    expect(received.template.name).toBe('order_update');
    expect(bodyParams(received)).toEqual([{ type: 'text', text: 'Bob' }, { type: 'text', text: 'A-1042' }]);
    expect(received.text).toBe('Hi Bob, your order A-1042 has shipped.');
  });

  await step('the thread shows the template with its text and its delivery', async () => {
    const bubble = thread().getByRole('listitem').filter({ hasText: 'Template · order_update' });
    await bubble.getByText('Hi Bob, your order A-1042 has shipped.').waitFor();
    await until('the template to show delivered or read', async () => /Delivered|Read/.test((await bubble.textContent()) ?? ''), 15_000);
  });

  expect(session.browserErrors).toEqual([]);
});

test('"New conversation" sends a template to a phone; the customer receives it and the conversation opens', async () => {
  await step('open the modal and fill it in', async () => {
    await page.getByRole('button', { name: 'New conversation' }).click();
    const dialog = page.getByRole('dialog', { name: 'New conversation' });
    await dialog.waitFor();
    // One number: already chosen.
    await dialog.getByRole('combobox', { name: 'From' }).getByText('Sales US (+15550001111)').waitFor();
    await dialog.getByRole('textbox', { name: 'Phone number' }).fill(`+${CAROL.phone}`);
    await chooseTemplate(dialog, 'welcome_named (en_US)');
    await dialog.getByRole('textbox', { name: 'Body {{customer_name}}' }).fill('Carol');
    await dialog.getByRole('textbox', { name: 'Body {{shop}}' }).fill('Example Shop');
    await dialog.getByRole('region', { name: 'Preview' }).getByText('Hello Carol, welcome to Example Shop!').waitFor();
  });

  await step('start it: the customer receives the template and the conversation opens', async () => {
    const dialog = page.getByRole('dialog', { name: 'New conversation' });
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST' && new URL(res.url()).pathname === '/whatsapp/conversations'),
      dialog.getByRole('button', { name: 'Start conversation' }).click(),
    ]);
    expect(response.status()).toBe(201);
    expect(response.request().postDataJSON()).toMatchObject({
      to: `+${CAROL.phone}`,
      template: { name: 'welcome_named', language: 'en_US', params: { body: [{ type: 'text', text: 'Carol', name: 'customer_name' }, { type: 'text', text: 'Example Shop', name: 'shop' }] } },
    });
    await dialog.waitFor({ state: 'hidden' });
    let received: any;
    await until('Carol to receive the template', async () => {
      received = (await sim.client.outbound({ to: CAROL.phone })).find((m) => m.type === 'template');
      return Boolean(received);
    });
    expect(received.text).toBe('Hello Carol, welcome to Example Shop!');
    expect(bodyParams(received)).toEqual([
      { type: 'text', text: 'Carol', parameter_name: 'customer_name' },
      { type: 'text', text: 'Example Shop', parameter_name: 'shop' },
    ]);
    // The page opened it: its thread shows the template, and Carol cannot get free text yet.
    await thread().getByText('Hello Carol, welcome to Example Shop!').waitFor();
    await page.getByRole('heading', { level: 2 }).filter({ hasText: `+${CAROL.phone}` }).waitFor();
    await page.getByText('The 24-hour window is closed — send a template').waitFor();
  });

  await step('to a lead found by name: the conversation is linked to the lead', async () => {
    const lead = await api('POST', '/content-manager/collection-types/api::lead.lead', { name: 'Dana Example', phone: '+1 555 000 5555' });
    expect(lead.status).toBe(201);
    await page.getByRole('button', { name: 'New conversation' }).click();
    const dialog = page.getByRole('dialog', { name: 'New conversation' });
    await dialog.getByRole('radio', { name: 'A lead or contact' }).click();
    await dialog.getByRole('textbox', { name: 'Search leads and contacts' }).fill('dana');
    const result = dialog.getByRole('list', { name: 'Matching records' }).getByRole('button', { name: /Dana Example/ });
    await result.click();
    expect(await result.getAttribute('aria-pressed')).toBe('true');
    await chooseTemplate(dialog, 'order_update (en_US)');
    await dialog.getByRole('textbox', { name: 'Body {{1}}' }).fill('Dana');
    await dialog.getByRole('textbox', { name: 'Body {{2}}' }).fill('C-3');
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST' && new URL(res.url()).pathname === '/whatsapp/conversations'),
      dialog.getByRole('button', { name: 'Start conversation' }).click(),
    ]);
    expect(response.status()).toBe(201);
    expect(response.request().postDataJSON().record).toEqual({ uid: 'api::lead.lead', documentId: lead.body.data.documentId });
    await until('Dana to receive the template', async () => (await sim.client.outbound({ to: '15550005555' })).some((m) => m.text === 'Hi Dana, your order C-3 has shipped.'));
    await page.getByRole('heading', { level: 2 }).filter({ hasText: 'Dana Example' }).waitFor();
  });

  expect(session.browserErrors).toEqual([]);
});

test('an image is attached and sent, and a quick reply is inserted with / and sent', async () => {
  await step('attach an image with a caption and send it', async () => {
    await openConversation(ALICE.name);
    await thread().getByText('Can you send me a photo of the part?').waitFor();
    await page.locator('input[type="file"]').setInputFiles({ name: 'part.png', mimeType: 'image/png', buffer: tinyPng(16) });
    await page.getByRole('group', { name: 'Attachment' }).getByText('part.png').waitFor();
    await page.getByRole('textbox', { name: 'Caption' }).fill('The replacement part');
    const [upload, reply] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST' && new URL(res.url()).pathname === '/upload'),
      page.waitForResponse((res) => res.request().method() === 'POST' && /\/whatsapp\/conversations\/\d+\/messages$/.test(new URL(res.url()).pathname)),
      page.getByRole('button', { name: 'Send', exact: true }).click(),
    ]);
    expect(upload.status()).toBe(201);
    const [file] = await upload.json();
    expect(reply.status()).toBe(201);
    expect(reply.request().postDataJSON()).toEqual({ type: 'media', fileId: file.id, mediaType: 'image', caption: 'The replacement part', idempotencyKey: expect.any(String) });
    let received: any;
    await until('Alice to receive the image', async () => {
      received = (await sim.client.outbound({ to: ALICE.phone })).find((m) => m.type === 'image');
      return Boolean(received);
    });
    expect(received.caption).toBe('The replacement part');
    expect(received.media.id).toBeTruthy();
    // The thread shows the picture itself, loaded from the Media Library.
    const image = thread().getByRole('img', { name: 'part.png' });
    await image.waitFor();
    await until('the thumbnail to load', async () => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0));
    expect(await page.getByRole('group', { name: 'Attachment' }).count()).toBe(0);
  });

  await step('type / and pick the saved quick reply, then send it', async () => {
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.click();
    await box.pressSequentially('/tha');
    const suggestions = page.getByRole('listbox', { name: 'Quick replies' });
    await suggestions.getByRole('option', { name: /\/thanks/ }).waitFor();
    await box.press('Enter');
    expect(await box.inputValue()).toBe('Thanks for your patience, we are on it!');
    expect(await suggestions.count()).toBe(0);
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST' && /\/whatsapp\/conversations\/\d+\/messages$/.test(new URL(res.url()).pathname)),
      box.press('Enter'),
    ]);
    expect(response.request().postDataJSON()).toEqual({ type: 'text', text: 'Thanks for your patience, we are on it!', idempotencyKey: expect.any(String) });
    await until('Alice to receive the quick reply', async () => (await sim.client.outbound({ to: ALICE.phone })).some((m) => m.text === 'Thanks for your patience, we are on it!'));
    // The phone can have it before the browser has read the API's answer: the box empties on that answer.
    await until('the box to be emptied', async () => (await box.inputValue()) === '');
  });

  await step('Shift+Enter starts a new line and Enter sends both lines as one message', async () => {
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.click();
    await box.pressSequentially('First line');
    await box.press('Shift+Enter');
    await box.pressSequentially('second line');
    // Shift+Enter kept the text in the box: had it sent, the box would hold only the second line.
    expect(await box.inputValue()).toBe('First line\nsecond line');
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST' && /\/whatsapp\/conversations\/\d+\/messages$/.test(new URL(res.url()).pathname)),
      box.press('Enter'),
    ]);
    expect(response.request().postDataJSON()).toEqual({ type: 'text', text: 'First line\nsecond line', idempotencyKey: expect.any(String) });
    await until('Alice to receive both lines', async () => (await sim.client.outbound({ to: ALICE.phone })).some((m) => m.text === 'First line\nsecond line'));
    await until('the box to be emptied', async () => (await box.inputValue()) === '');
  });

  await step('the connection drops after the server took a reply: sending again does not send it twice', async () => {
    const TEXT = 'Your part ships tomorrow.';
    const replies = /\/whatsapp\/conversations\/\d+\/messages$/;
    // The server receives and queues the first request; its answer never reaches the browser.
    await page.route(replies, async (route) => {
      await route.fetch();
      await route.abort('connectionreset');
    }, { times: 1 });
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(TEXT);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await until('Alice to receive the reply', async () => (await sim.client.outbound({ to: ALICE.phone })).some((m) => m.text === TEXT));
    expect(await box.inputValue()).toBe(TEXT);
    const [again] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST' && replies.test(new URL(res.url()).pathname)),
      page.getByRole('button', { name: 'Send', exact: true }).click(),
    ]);
    expect(again.status()).toBe(201);
    await until('the composer to empty once the API took it', async () => (await box.inputValue()) === '');
    // One message row, so nothing more for the outbox to send.
    const messages = await api('GET', `${new URL(again.url()).pathname}?pageSize=100`);
    expect(messages.body.data.filter((m: { text: string | null }) => m.text === TEXT)).toHaveLength(1);
    await sim.client.settle();
    expect((await sim.client.outbound({ to: ALICE.phone })).filter((m) => m.text === TEXT)).toHaveLength(1);
    await thread().getByText(TEXT).waitFor();
    expect(await thread().getByText(TEXT).count()).toBe(1);
  });

  await step('a message with reply buttons', async () => {
    await page.getByRole('button', { name: 'Message with buttons' }).click();
    const dialog = page.getByRole('dialog', { name: 'Message with buttons' });
    await dialog.getByRole('textbox', { name: 'Text' }).fill('Is the part the right one?');
    await dialog.getByRole('textbox', { name: 'Button 1' }).fill('Yes');
    await dialog.getByRole('textbox', { name: 'Button 2' }).fill('No, wrong part');
    await dialog.getByRole('button', { name: 'Send buttons' }).click();
    await dialog.waitFor({ state: 'hidden' });
    let received: any;
    await until('Alice to receive the buttons', async () => {
      received = (await sim.client.outbound({ to: ALICE.phone })).find((m) => m.type === 'interactive');
      return Boolean(received);
    });
    expect(received.buttons.map((b: any) => b.title)).toEqual(['Yes', 'No, wrong part']);
    const bubble = thread().getByRole('listitem').filter({ hasText: 'Is the part the right one?' });
    const offered = bubble.getByRole('group', { name: 'Buttons offered' });
    await offered.getByText('No, wrong part').waitFor();
    expect(await offered.innerText()).toMatch(/Yes\s+No, wrong part/);
  });

  await step('a place and a contact card from the composer', async () => {
    await page.getByRole('button', { name: 'Send a place' }).click();
    const place = page.getByRole('dialog', { name: 'Send a place' });
    await place.getByRole('textbox', { name: 'Latitude' }).fill('48.8584');
    await place.getByRole('textbox', { name: 'Longitude' }).fill('2.2945');
    await place.getByRole('textbox', { name: 'Name of the place (optional)' }).fill('Our workshop');
    await place.getByRole('button', { name: 'Send', exact: true }).click();
    await place.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Send a contact card' }).click();
    const card = page.getByRole('dialog', { name: 'Send a contact card' });
    await card.getByRole('textbox', { name: 'Name' }).fill('Ana Support');
    await card.getByRole('textbox', { name: 'Phone' }).fill('+33 6 00 00 00 00');
    await card.getByRole('button', { name: 'Send', exact: true }).click();
    await card.waitFor({ state: 'hidden' });
    let sent: any[] = [];
    await until('Alice to receive the place and the card', async () => {
      sent = (await sim.client.outbound({ to: ALICE.phone })).filter((m) => m.type === 'location' || m.type === 'contacts');
      return sent.length === 2;
    });
    expect(sent.map((m) => m.type)).toEqual(['location', 'contacts']);
    expect(sent[0].location).toMatchObject({ latitude: 48.8584, longitude: 2.2945, name: 'Our workshop' });
    await thread().getByText('Our workshop').first().waitFor();
    await thread().getByText('Ana Support').first().waitFor();
  });

  await step('the customer quotes the photo and reacts to it: the thread shows both', async () => {
    const image = (await sim.client.outbound({ to: ALICE.phone })).find((m) => m.type === 'image')!;
    await sim.client.customerSends({ from: ALICE.phone, to: META.phoneNumberId, name: ALICE.name, text: 'Yes, that is the one', contextMessageId: image.id });
    await sim.client.customerSends({ from: ALICE.phone, to: META.phoneNumberId, name: ALICE.name, type: 'reaction', reaction: { messageId: image.id, emoji: '👍' } });
    const reply = thread().getByRole('listitem').filter({ hasText: 'Yes, that is the one' });
    await reply.getByRole('blockquote', { name: 'In reply to' }).getByText('The replacement part').waitFor({ timeout: 15_000 });
    const imageItem = thread().getByRole('listitem').filter({ has: page.getByRole('img', { name: 'part.png' }) });
    await imageItem.getByRole('group', { name: 'Reactions' }).getByText('👍').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${ARTIFACTS}/inbox-composer-thread.png` });
  });

  expect(session.browserErrors).toEqual([]);
});

test('inside the window a template can be chosen too; a refused send shows the server’s reason', async () => {
  await step('send a template from the composer’s Template button', async () => {
    await openConversation(ALICE.name);
    await page.getByRole('button', { name: 'Template', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Send a template' });
    await chooseTemplate(dialog, 'order_update (en_US)');
    await dialog.getByRole('textbox', { name: 'Body {{1}}' }).fill('Alice');
    await dialog.getByRole('textbox', { name: 'Body {{2}}' }).fill('B-7');
    await dialog.getByRole('button', { name: 'Send template' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await until('Alice to receive the template', async () => (await sim.client.outbound({ to: ALICE.phone })).some((m) => m.type === 'template' && m.text === 'Hi Alice, your order B-7 has shipped.'));
  });

  await step('the template is paused while the form is open: the server refuses, the notification says why', async () => {
    await page.getByRole('button', { name: 'Template', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Send a template' });
    await chooseTemplate(dialog, 'order_update (en_US)');
    await dialog.getByRole('textbox', { name: 'Body {{1}}' }).fill('Alice');
    await dialog.getByRole('textbox', { name: 'Body {{2}}' }).fill('B-8');
    const template = (await sim.client.templates({ provider: 'meta' })).find((x) => x.name === 'order_update')!;
    await sim.client.setTemplateStatus(template.id, 'PAUSED');
    await until('the plugin to learn the template is paused', async () => {
      const res = await api('GET', '/whatsapp/templates');
      return res.body.data.some((x: any) => x.name === 'order_update' && x.status === 'PAUSED');
    }, 15_000);
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST' && /\/whatsapp\/conversations\/\d+\/messages$/.test(new URL(res.url()).pathname)),
      dialog.getByRole('button', { name: 'Send template' }).click(),
    ]);
    expect(response.status()).toBe(400);
    await page.getByText('template order_update is PAUSED, only approved templates can be sent').waitFor();
    // The form stays, filled in, for another try.
    expect(await dialog.getByRole('textbox', { name: 'Body {{2}}' }).inputValue()).toBe('B-8');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  await step('nothing overflows a 390 px screen, composer and template form included', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: 'Send', exact: true }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}/inbox-composer-390px.png` });
    await openConversation(BOB.name);
    await page.getByRole('combobox', { name: 'Template' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  expect(session.browserErrors).toEqual([]);
});

test('a colleague with only inbox.read sees the thread but has no composer', async () => {
  await step('create a read-only role and user over the admin API', async () => {
    await createAdmin(READER, 'Inbox readers', ['plugin::whatsapp.inbox.read']);
  });

  const { context, page: reader, errors } = await openAs(READER);
  try {
    await step('open Alice’s conversation as the reader', async () => {
      const item = reader.getByRole('list', { name: 'Conversations' }).getByRole('listitem', { name: ALICE.name });
      await item.getByRole('button').click();
      await reader.getByRole('log', { name: 'Messages' }).getByText('Can you send me a photo of the part?').waitFor();
    });

    await step('no composer and no new conversation: the note says why', async () => {
      await reader.getByText('You can read this conversation but not reply to it.').waitFor();
      expect(await reader.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
      expect(await reader.getByRole('button', { name: 'Send', exact: true }).count()).toBe(0);
      expect(await reader.getByRole('button', { name: 'Attach a file' }).count()).toBe(0);
      expect(await reader.getByRole('button', { name: 'New conversation' }).count()).toBe(0);
      // And the API agrees.
      const readerToken = await adminToken(server.baseUrl, READER.email, READER.password);
      const conversations = await api('GET', '/whatsapp/conversations', undefined, readerToken);
      const alice = conversations.body.data.find((c: any) => c.customerWaId === ALICE.phone);
      expect((await api('POST', `/whatsapp/conversations/${alice.id}/messages`, { type: 'text', text: 'sneaky' }, readerToken)).status).toBe(403);
    });
  } finally {
    await context.close();
  }
  expect(errors).toEqual([]);
});

test('a colleague who may read and send, without templates.read or numbers.read, still sends templates', async () => {
  await step('create the role and user', async () => {
    await createAdmin(SENDER, 'Inbox senders', ['plugin::whatsapp.inbox.read', 'plugin::whatsapp.inbox.send']);
  });
  const { context, page: sender, errors } = await openAs(SENDER);
  try {
    await step('Bob’s closed window offers the approved templates; the one sent reaches him', async () => {
      await sender.getByRole('list', { name: 'Conversations' }).getByRole('listitem', { name: BOB.name }).getByRole('button').click();
      await sender.getByRole('combobox', { name: 'Template' }).click();
      await sender.getByRole('option', { name: 'welcome_named (en_US)' }).click();
      await sender.getByRole('textbox', { name: 'Body {{customer_name}}' }).fill('Bob');
      await sender.getByRole('textbox', { name: 'Body {{shop}}' }).fill('the shop');
      await sender.getByRole('button', { name: 'Send template' }).click();
      await until('Bob to receive the welcome', async () => (await sim.client.outbound({ to: BOB.phone })).some((m) => m.text === 'Hello Bob, welcome to the shop!'));
    });
    await step('without the Media Library’s upload permission there is no attach button', async () => {
      await sender.getByRole('list', { name: 'Conversations' }).getByRole('listitem', { name: ALICE.name }).getByRole('button').click();
      await sender.getByRole('textbox', { name: 'Message' }).waitFor();
      await sender.getByRole('button', { name: 'Quick replies' }).waitFor();
      expect(await sender.getByRole('button', { name: 'Attach a file' }).count()).toBe(0);
    });
    await step('New conversation offers the number to write from', async () => {
      await sender.getByRole('button', { name: 'New conversation' }).click();
      const dialog = sender.getByRole('dialog', { name: 'New conversation' });
      await dialog.getByRole('combobox', { name: 'From' }).getByText('Sales US (+15550001111)').waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    });
  } finally {
    await context.close();
  }
  expect(errors).toEqual([]);
});
