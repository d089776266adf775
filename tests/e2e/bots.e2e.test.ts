/**
 * The Bots page in a real browser against the example CRM and the provider simulator: the empty
 * state, the number's bot switch, a keyword bot with reply buttons made in the editor (a button
 * title over the limit refused by the server beside its field), the preview as the customer, the
 * bot answering a customer's message in the inbox thread under its name, a staff reply taking the
 * conversation over so the next customer message gets no bot answer, and the page at 390 px.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Bot } from '../../contracts/bots';
import type { TestBots } from '../../contracts/bot-api';
import type { RunningSimulator } from '../../simulator';
import { adminRequest, connectMetaNumber, startBrowserTest, stopBrowserTest } from './support/admin';
import { until, type AdminSession } from './support/browser';
import { ARTIFACTS, type ExampleServer } from './support/exampleServer';

const META = {
  label: 'Shop bots',
  phone: '+15550006666',
  phoneNumberId: '109876543210666',
  wabaId: '102030405060666',
  accessToken: 'EAAG-e2e-bots-access-token-0123456789',
  appSecret: 'e2e-bots-app-secret-0123456789abcdef',
  verifyToken: 'e2e-bots-verify-token-2026',
};
const ALICE = { phone: '15550007101', name: 'Alice Bots' };
const BOB = { phone: '15550007102', name: 'Bob Bots' };
const BOT = 'Prices';
const ANSWER = 'Which plan would you like?';

jest.setTimeout(300_000);

let sim: RunningSimulator | undefined;
let server: ExampleServer | undefined;
let session: AdminSession | undefined;
let page: Page;
let token: string;
const step = (name: string, fn: () => Promise<void>) => session!.step(name, fn);

const api = <T = any>(method: string, url: string, body?: unknown) => adminRequest<T>(server!, token, method, url, body);
const conversationOf = async (waId: string) => (await api<{ data: any[] }>('GET', `/whatsapp/conversations?q=${waId}`)).body.data.find((c) => c.customerWaId === waId);
const messagesOf = async (conversationId: number) => (await api<{ data: any[] }>('GET', `/whatsapp/conversations/${conversationId}/messages?pageSize=100`)).body.data.slice().reverse();
const noOverflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

beforeAll(async () => {
  ({ sim, server, session, page, token } = await startBrowserTest('bots'));
  // The admin bundle's first load takes over 20 s when the shared machine is busy.
  session.context.setDefaultNavigationTimeout(90_000);
});

afterAll(() => stopBrowserTest({ sim, server, session }));

test('a keyword bot with buttons: made, previewed, answering a customer, and quiet once staff take over', async () => {
  let numberId = 0;
  const editor = page.getByRole('dialog');

  await step('a number known to the simulator', async () => {
    numberId = (await connectMetaNumber({ sim: sim!, server: server!, token }, META)).id;
  });

  await step('the Bots page: linked from the nav, empty, bots off on the number', async () => {
    await session!.logIn();
    await page.goto('/admin/plugins/whatsapp/templates');
    await page.getByRole('navigation', { name: 'WhatsApp pages' }).getByRole('link', { name: 'Bots' }).click();
    await page.waitForURL('**/plugins/whatsapp/bots');
    await page.getByText('No bot on this number yet').waitFor();
    const enabled = page.getByRole('switch', { name: 'Bots answer on this number' });
    await until('the switch to load', async () => !(await enabled.isDisabled()));
    expect(await enabled.getAttribute('aria-checked')).toBe('false');
    await enabled.click();
    await until('bots switched on for the number', async () => (await api('GET', `/whatsapp/bots/numbers/${numberId}`)).body.data.enabled === true);
  });

  await step('the editor: keywords with a synonym, reply buttons; precedence shown', async () => {
    await page.getByRole('button', { name: 'Add bot' }).first().click();
    await editor.getByRole('textbox', { name: 'Name' }).fill(BOT);
    await editor.getByRole('textbox', { name: 'Keywords' }).fill('price');
    await editor.getByRole('textbox', { name: 'Synonyms' }).fill('price: cost, how much');
    // Where this trigger sits among the stages, from the contract's precedence.
    const precedence = editor.getByRole('list', { name: 'Precedence' });
    expect(await precedence.getByRole('listitem').count()).toBe(11);
    expect(await precedence.locator('[aria-current="step"]').textContent()).toContain('Keywords and synonyms');
    await editor.getByRole('combobox', { name: 'Answers with' }).click();
    await page.getByRole('option', { name: 'Reply buttons', exact: true }).click();
    await editor.getByRole('textbox', { name: 'Message', exact: true }).fill(ANSWER);
    await editor.getByRole('textbox', { name: 'Button 1 title' }).fill('Basic plan, monthly billing');
    await editor.getByRole('button', { name: 'Add button' }).click();
    await editor.getByRole('textbox', { name: 'Button 2 title' }).fill('Pro');
  });

  await step('the server refuses a button title over 20 characters, beside the field', async () => {
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/whatsapp/bots'),
      editor.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(res.status()).toBe(400);
    const title = editor.getByRole('textbox', { name: 'Button 1 title' });
    await until('the error beside the button title', async () => (await title.getAttribute('aria-invalid')) === 'true');
    const described = (await title.getAttribute('aria-describedby'))?.split(' ') ?? [];
    const texts = await Promise.all(described.map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(texts.join(' ')).toContain('at most 20 characters');
    expect((await api<{ data: Bot[] }>('GET', '/whatsapp/bots')).body.data).toHaveLength(0);
    await title.fill('Basic');
    expect(await title.getAttribute('aria-invalid')).not.toBe('true');
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.waitFor({ state: 'detached' });
    await page.getByRole('listitem', { name: BOT }).waitFor();
    const bots = (await api<{ data: Bot[] }>('GET', '/whatsapp/bots')).body.data;
    expect(bots).toMatchObject([{ name: BOT, numberId, active: true, trigger: { type: 'keywords', keywords: ['price'] }, response: { type: 'buttons', buttons: [{ title: 'Basic' }, { title: 'Pro' }] } }]);
  });

  await step('the preview: a synonym fires the bot, its buttons shown; other text does not', async () => {
    const preview = page.getByRole('region', { name: 'Try it as the customer' });
    const box = preview.getByRole('textbox', { name: 'Type a message as the customer' });
    await box.fill('How much does it COST?');
    await preview.getByRole('button', { name: 'Try' }).click();
    await preview.getByTestId('preview-fired').filter({ hasText: `“${BOT}” answers` }).waitFor();
    expect(await preview.getByTestId('preview-why').textContent()).toMatch(/cost/i);
    const reply = preview.getByTestId('preview-reply');
    expect(await reply.textContent()).toContain(ANSWER);
    expect(await reply.getByRole('group', { name: 'Buttons offered' }).textContent()).toBe('BasicPro');
    await box.fill('Good morning');
    await box.press('Enter');
    await preview.getByTestId('preview-stopped').waitFor();
    expect(await preview.getByTestId('preview-reply').count()).toBe(0);
  });

  const thread = page.getByRole('log', { name: 'Messages' });
  const conversations = page.getByRole('list', { name: 'Conversations' });

  await step('a customer asks the price: the bot answers, marked with its name in the thread', async () => {
    await sim!.client.customerSends({ from: ALICE.phone, to: META.phoneNumberId, name: ALICE.name, text: 'what is the price?' });
    await until('Alice to receive the bot’s buttons', async () => (await sim!.client.outbound({ to: ALICE.phone })).some((m) => m.buttons?.map((b) => b.title).join() === 'Basic,Pro'), 30_000);
    await page.goto('/admin/plugins/whatsapp');
    await conversations.getByRole('listitem', { name: ALICE.name }).getByRole('button').click();
    const answer = thread.getByRole('listitem').filter({ hasText: ANSWER });
    await answer.waitFor();
    expect(await answer.getByTestId('bot-mark').textContent()).toBe(`Bot · ${BOT}`);
    expect(await answer.getByRole('group', { name: 'Buttons offered' }).textContent()).toBe('BasicPro');
    // The customer's own message carries no mark.
    expect(await thread.getByRole('listitem').filter({ hasText: 'what is the price?' }).getByTestId('bot-mark').count()).toBe(0);
  });

  await step('staff reply: the conversation is theirs, the next customer message gets no bot answer', async () => {
    const STAFF = 'Hi Alice, I can help you choose.';
    await page.getByRole('textbox', { name: 'Message' }).fill(STAFF);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await until('Alice to receive the staff reply', async () => (await sim!.client.outbound({ to: ALICE.phone })).some((m) => m.text === STAFF), 30_000);
    await sim!.client.customerSends({ from: ALICE.phone, to: META.phoneNumberId, name: ALICE.name, text: 'price for two?' });
    await thread.getByRole('listitem').filter({ hasText: 'price for two?' }).waitFor();
    // Barrier: Bob writes after Alice and gets his answer, so Alice's message has had its turn.
    await sim!.client.customerSends({ from: BOB.phone, to: META.phoneNumberId, name: BOB.name, text: 'price' });
    await until('Bob to receive the bot’s buttons', async () => (await sim!.client.outbound({ to: BOB.phone })).some((m) => m.buttons?.length === 2), 30_000);
    const alice = await conversationOf(ALICE.phone);
    const messages = await messagesOf(alice.id);
    const after = messages.slice(messages.findIndex((m) => m.text === 'price for two?'));
    expect(after.map((m) => [m.direction, m.text])).toEqual([['in', 'price for two?']]);
    expect((await sim!.client.outbound({ to: ALICE.phone })).filter((m) => m.buttons?.length)).toHaveLength(1);
    // The engine says why, for this conversation.
    const judged = await api<TestBots.Response>('POST', '/whatsapp/bots/test', { numberId, text: 'price', conversationId: alice.id });
    expect(judged.body.data.fired).toBeNull();
    expect(judged.body.data.stopped?.stage).toBe('stopped');
    expect(await thread.getByTestId('bot-mark').count()).toBe(1);
  });

  await step('order within a stage from the keyboard: the lower bot moves up and wins', async () => {
    const ids: number[] = [];
    for (const [name, word] of [['Hello first', 'hello'], ['Hello second', 'hello']]) {
      const res = await api<{ data: { id: number } }>('POST', '/whatsapp/bots', { name, numberId, trigger: { type: 'exact', keywords: [word] }, response: { type: 'text', text: `${name} here` } });
      expect(res.status).toBe(201);
      ids.push(res.body.data.id);
    }
    const judge = async () => (await api<TestBots.Response>('POST', '/whatsapp/bots/test', { numberId, text: 'Hello' })).body.data.fired?.name;
    expect(await judge()).toBe('Hello first');
    await page.goto('/admin/plugins/whatsapp/bots');
    const stage = page.getByRole('list', { name: 'Exact text' });
    await stage.getByRole('listitem', { name: 'Hello second' }).waitFor();
    expect(await stage.getByRole('listitem').evaluateAll((items) => items.map((li) => li.getAttribute('aria-label')))).toEqual(['Hello first', 'Hello second']);
    const handle = stage.getByRole('button', { name: 'Move Hello second (space, then arrows)' });
    await handle.focus();
    // Each key waits for dnd-kit to have taken the previous one (picked up, then moved over the upper bot).
    await page.keyboard.press('Space');
    await until('the bot to be picked up', async () => (await handle.getAttribute('aria-pressed')) === 'true');
    // dnd-kit measures the list after the pick-up, so an arrow pressed before that moves nothing: pressed again until it says it is over the upper bot.
    const overFirst = page.getByRole('status').filter({ hasText: `was moved over droppable area ${ids[0]}.` });
    await until('the bot to be over the upper one', async () => {
      if (await overFirst.count()) return true;
      await page.keyboard.press('ArrowUp');
      return (await overFirst.count()) > 0;
    }, 10_000, 300);
    const [res] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === '/whatsapp/bots/order'), page.keyboard.press('Space')]);
    expect(res.status()).toBe(200);
    expect(await judge()).toBe('Hello second');
    await until('the list to show the new order', async () => (await stage.getByRole('listitem').first().getAttribute('aria-label')) === 'Hello second');
  });

  await step('the page at 390 px: nothing overflows', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/admin/plugins/whatsapp/bots');
    await page.getByRole('listitem', { name: BOT }).waitFor();
    expect(await noOverflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'bots-390px.png'), fullPage: true });
    await page.getByRole('button', { name: `Edit ${BOT}` }).click();
    await editor.getByRole('textbox', { name: 'Name' }).waitFor();
    expect(await noOverflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'bots-editor-390px.png'), fullPage: true });
  });
});
