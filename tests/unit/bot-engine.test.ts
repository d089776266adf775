import { DEFAULT_BOT_LIMITS, type Bot, type BotResponse, type BotTrigger } from '../../contracts/bots';
import { decide, type EngineInput } from '../../server/bots/engine';
import { closedPeriod, openAt } from '../../server/business-hours';
import { requestOf } from '../../server/bots/render';
import { validateBot } from '../../server/bots/validate';

let id = 0;
const bot = (trigger: BotTrigger, response: BotResponse = { type: 'text', text: `answer ${trigger.type}` }, extra: Partial<Bot> = {}): Bot => ({
  id: (id += 1), name: `${trigger.type} bot`, numberId: 1, active: true, priority: 0, trigger, response, limits: DEFAULT_BOT_LIMITS, createdAt: '', updatedAt: '', ...extra,
});
const input = (text: string, bots: Bot[], more: Partial<EngineInput> = {}): EngineInput => ({
  text, bots, enabled: true, now: new Date('2026-03-02T12:00:00Z'),
  state: { owner: 'bot', staffAt: null, menu: null, hourStart: null, hourCount: 0, outOfHoursPeriod: null },
  facts: { firstMessage: false, newSession: false, open: true, period: null }, ...more,
});

describe('the bot engine', () => {
  const exact = bot({ type: 'exact', keywords: ['Precio'] });
  const contains = bot({ type: 'contains', keywords: ['price'] });
  const synonyms = bot({ type: 'keywords', keywords: ['cost'], synonyms: { cost: ['how much'] } });
  const fallback = bot({ type: 'fallback' });
  const all = [fallback, synonyms, contains, exact];

  test('precedence: opt-out > stopped > exact > contains > synonyms > fallback', () => {
    expect(decide(input('STOP', all)).stopped).toEqual({ stage: 'opt-out', why: 'opt-out keyword' });
    expect(decide(input('  précio 😀 ', all)).fired?.botId).toBe(exact.id);
    expect(decide(input('the price please', all)).fired?.botId).toBe(contains.id);
    expect(decide(input('How much is it', all)).fired).toMatchObject({ botId: synonyms.id, why: "'how much' is a synonym of keyword 'cost'" });
    expect(decide(input('hello', all)).fired?.botId).toBe(fallback.id);
    expect(decide(input('hello', all, { enabled: false })).stopped?.stage).toBe('stopped');
    expect(decide(input('hello', [contains])).stopped).toEqual({ stage: 'fallback', why: 'no bot matched' });
  });

  test('regex, starts-with and priorities within a stage', () => {
    const a = bot({ type: 'starts-with', keywords: ['order'] }, undefined, { priority: 2 });
    const b = bot({ type: 'starts-with', keywords: ['order'] }, undefined, { priority: 1 });
    expect(decide(input('Order 42', [a, b])).fired?.botId).toBe(b.id);
    expect(decide(input('my order', [a, b])).fired).toBeNull();
    const r = bot({ type: 'regex', pattern: '^inv-\\d+$' });
    expect(decide(input('INV-123', [r])).fired?.botId).toBe(r.id);
  });

  test('a person pauses bots; the hourly cap hands off', () => {
    const now = new Date('2026-03-02T12:00:00Z');
    const paused = decide(input('price', [contains], { state: { owner: 'human', staffAt: new Date(now.getTime() - 60_000), menu: null, hourStart: null, hourCount: 0, outOfHoursPeriod: null } }));
    expect(paused.stopped?.stage).toBe('stopped');
    const capped = decide(input('price', [contains], { state: { owner: 'bot', staffAt: null, menu: null, hourStart: new Date(now.getTime() - 60_000), hourCount: 5, outOfHoursPeriod: null } }));
    expect(capped).toMatchObject({ fired: null, handoff: true });
  });

  test('outside hours answers once per closed period', () => {
    const ooh = bot({ type: 'outside-hours' });
    const facts = { firstMessage: false, newSession: false, open: false, period: '2026-03-03T09:00' };
    expect(decide(input('hi', [ooh], { facts })).fired?.botId).toBe(ooh.id);
    expect(decide(input('hi', [ooh], { facts, state: { owner: 'bot', staffAt: null, menu: null, hourStart: null, hourCount: 0, outOfHoursPeriod: facts.period } })).fired).toBeNull();
  });

  test('menus: a number or a button id picks an item, sub-menus keep the path, 0 goes back', () => {
    const menu = bot({ type: 'exact', keywords: ['menu'] }, { type: 'menu', text: 'Pick', items: [{ id: 'sales', title: 'Sales', reply: { type: 'text', text: 'Sales here' } }, { id: 'help', title: 'Help', text: 'Help with?', items: [{ id: 'bill', title: 'Billing', reply: { type: 'text', text: 'Billing here' } }] }] });
    const first = decide(input('menu', [menu]));
    expect(first.menu).toEqual({ botId: menu.id, path: [] });
    const state = (m: any) => ({ owner: 'bot' as const, staffAt: null, menu: m, hourStart: null, hourCount: 0, outOfHoursPeriod: null });
    const sub = decide(input('2', [menu], { state: state(first.menu) }));
    expect(sub).toMatchObject({ menu: { botId: menu.id, path: ['help'] }, response: { type: 'menu', text: 'Help with?' } });
    expect(decide(input('Billing', [menu], { state: state(sub.menu), replyId: 'bill' }))).toMatchObject({ response: { text: 'Billing here' }, menu: null });
    expect(decide(input('0', [menu], { state: state(sub.menu) })).menu).toEqual({ botId: menu.id, path: [] });
  });

  test('interactive responses fall back to numbered text', () => {
    const r: BotResponse = { type: 'buttons', text: 'Choose', buttons: [{ id: 'a', title: 'Yes' }, { id: 'b', title: 'No' }] };
    expect(requestOf(r, false)).toEqual({ type: 'text', text: 'Choose\n\n1. Yes\n2. No' });
    expect(requestOf(r, true)).toMatchObject({ type: 'interactive', interactive: { type: 'button' } });
  });

  test('hours: holidays are closed and name the next real opening', () => {
    const h = { hours: { timezone: 'UTC', days: { mon: { open: '09:00', close: '17:00' }, tue: { open: '09:00', close: '17:00' } } }, holidays: ['2026-03-02'] };
    const monNoon = new Date('2026-03-02T12:00:00Z');
    expect(openAt(h, monNoon)).toBe(false);
    expect(closedPeriod(h, monNoon)).toBe('2026-03-03T09:00');
  });

  test('saving checks the limits and names the field', () => {
    const tooMany = () => validateBot({ name: 'b', numberId: 1, trigger: { type: 'exact', keywords: ['x'] }, response: { type: 'buttons', text: 't', buttons: [1, 2, 3, 4].map((i) => ({ id: `${i}`, title: `t${i}` })) } }, true);
    expect(tooMany).toThrow('response.buttons must have at most 3');
    expect(() => validateBot({ response: { type: 'buttons', text: 't', buttons: [{ id: 'a', title: 'x'.repeat(21) }] } }, false)).toThrow('response.buttons.0.title must be at most 20 characters');
    expect(() => validateBot({ trigger: { type: 'regex', pattern: '(' } }, false)).toThrow(/trigger.pattern is not a valid/);
  });
});
