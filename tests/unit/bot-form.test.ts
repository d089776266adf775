import { DEFAULT_BOT_LIMITS, type Bot, type BotLeafResponse } from '../../contracts/bots';
import { botErrorsOf, emptyBotValues, emptyMenuItem, errorAt, groupByStage, stageOf, toBotRequest, valuesFromBot } from '../../admin/components/bots/form';

const bot = (over: Partial<Bot>): Bot => ({
  id: 1, name: 'Prices', numberId: 3, active: true, priority: 0,
  trigger: { type: 'keywords', keywords: ['price'], synonyms: { price: ['cost', 'how much'] } },
  response: { type: 'buttons', text: 'Which plan?', buttons: [{ id: 'basic', title: 'Basic' }, { id: 'pro', title: 'Pro' }], footer: 'Prices in EUR' },
  limits: { ...DEFAULT_BOT_LIMITS }, createdAt: '', updatedAt: '', ...over,
});

describe('bot editor form', () => {
  test('a saved bot comes back from its form values as the same request', () => {
    const b = bot({});
    expect(toBotRequest(valuesFromBot(b))).toEqual({
      name: 'Prices', numberId: 3, active: true, limits: DEFAULT_BOT_LIMITS,
      trigger: b.trigger,
      response: { type: 'buttons', text: 'Which plan?', header: undefined, footer: 'Prices in EUR', buttons: b.response.type === 'buttons' ? b.response.buttons : [] },
    });
  });

  test('lines become keywords, synonyms and list rows; a button without an id sends its title', () => {
    const v = { ...emptyBotValues('2'), name: 'x', keywords: ' price \n\n offer ', synonyms: 'price: cost,  how much\noffer:', responseType: 'buttons' as const, text: 'Hi', buttons: [{ id: '', title: 'Talk to sales' }] };
    const req = toBotRequest(v);
    expect(req.trigger).toEqual({ type: 'keywords', keywords: ['price', 'offer'], synonyms: { price: ['cost', 'how much'], offer: [] } });
    expect(req.response).toMatchObject({ buttons: [{ id: 'Talk to sales', title: 'Talk to sales' }] });
    const list = toBotRequest({ ...v, responseType: 'list', buttonText: 'Plans', rows: 'basic | Basic | 10 EUR\npro | Pro' });
    expect(list.response).toMatchObject({ sections: [{ rows: [{ id: 'basic', title: 'Basic', description: '10 EUR' }, { id: 'pro', title: 'Pro' }] }] });
    // Only the trigger type's own fields go: a regex keeps no keywords.
    expect(toBotRequest({ ...v, triggerType: 'regex', pattern: 'ord(er)?' }).trigger).toEqual({ type: 'regex', pattern: 'ord(er)?' });
  });

  test('a nested menu comes back from its form values as it was saved, answers and sub-menus alike', () => {
    const response = {
      type: 'menu' as const, text: 'How can we help?', buttonText: 'Topics',
      items: [
        { id: 'hours', title: 'Opening hours', reply: { type: 'text' as const, text: 'Mon–Fri 9–17' } },
        { id: 'orders', title: 'Orders', description: 'Track or change one', text: 'About your order', items: [
          { id: 'track', title: 'Track it', reply: { type: 'buttons' as const, text: 'Which one?', buttons: [{ id: 'last', title: 'The last one' }] } },
          { id: 'more', title: 'More', items: [{ id: 'human', title: 'A person', reply: { type: 'handoff' as const, text: 'Someone will write to you.' } }] },
        ] },
        { id: 'shop', title: 'Where we are', reply: { type: 'location' as const, latitude: 52.52, longitude: 13.405, name: 'Shop' } },
      ],
    };
    const v = valuesFromBot(bot({ response }));
    expect(v.menuItems.map((i) => [i.title, i.opens])).toEqual([['Opening hours', 'reply'], ['Orders', 'menu'], ['Where we are', 'reply']]);
    expect(v.menuItems[1].items[1].items[0].reply.responseType).toBe('handoff');
    expect(toBotRequest(v).response).toEqual(response);
  });

  test('a new menu item without an id sends its title; an item switched to a sub-menu sends its items, not its reply', () => {
    const item = { ...emptyMenuItem(), title: 'Prices', reply: { ...emptyMenuItem().reply, text: 'From 10 EUR' } };
    const sub = { ...emptyMenuItem(), title: 'Help', opens: 'menu' as const, reply: { ...emptyMenuItem().reply, text: 'left behind' }, items: [{ ...emptyMenuItem(), id: 'faq', title: 'FAQ', reply: { ...emptyMenuItem().reply, text: 'See our site' } }] };
    const req = toBotRequest({ ...emptyBotValues('1'), responseType: 'menu', text: 'Pick', menuItems: [item, sub] });
    expect(req.response).toEqual({
      type: 'menu', text: 'Pick', buttonText: undefined,
      items: [
        { id: 'Prices', title: 'Prices', description: undefined, reply: { type: 'text', text: 'From 10 EUR' } },
        { id: 'Help', title: 'Help', description: undefined, text: undefined, items: [{ id: 'faq', title: 'FAQ', description: undefined, reply: { type: 'text', text: 'See our site' } }] },
      ],
    });
  });

  test('what the form does not edit is kept from the stored response, in the bot and in its menu items', () => {
    const leaves: BotLeafResponse[] = [
      { type: 'template' as const, template: { name: 'order_update', language: 'en', params: { body: [{ type: 'text' as const, text: 'friend' }] } } },
      { type: 'media' as const, mediaType: 'document' as const, link: 'https://example.com/price-list.pdf', filename: 'price-list.pdf' },
      { type: 'contact' as const, name: 'Sales desk', phone: '+15550001234', email: 'sales@example.com' },
      { type: 'list' as const, text: 'Pick one', buttonText: 'Plans', sections: [{ title: 'Monthly', rows: [{ id: 'm', title: 'Monthly' }] }, { title: 'Yearly', rows: [{ id: 'y', title: 'Yearly', description: 'Save 20%' }] }] },
      { type: 'set-field' as const, field: 'score', value: 5 },
      { type: 'set-field' as const, field: 'vip', value: true },
    ];
    for (const response of leaves) {
      expect(toBotRequest(valuesFromBot(bot({ response }))).response).toEqual(response);
      const menu = { type: 'menu' as const, text: 'Menu', items: [{ id: 'a', title: 'A', reply: response }] };
      expect(toBotRequest(valuesFromBot(bot({ response: menu }))).response).toEqual(menu);
    }
    // Edited, a field value is what was typed; list rows edited become one section.
    const v = valuesFromBot(bot({ response: { type: 'set-field', field: 'score', value: 5 } }));
    expect(toBotRequest({ ...v, value: '7' }).response).toEqual({ type: 'set-field', field: 'score', value: '7', text: undefined });
    const l = valuesFromBot(bot({ response: leaves[3] }));
    expect(toBotRequest({ ...l, rows: 'x | X' }).response).toMatchObject({ sections: [{ rows: [{ id: 'x', title: 'X' }] }] });
  });

  test('the server’s ValidationError lands at the field it names, or under it, or at the form', () => {
    const errors = botErrorsOf({
      name: 'ValidationError', message: '2 errors',
      details: { errors: [{ path: ['response', 'buttons', 0, 'title'], message: 'at most 20 characters' }, { path: ['trigger', 'keywords', 2], message: 'too long' }, { path: [], message: 'number is off' }] },
    });
    expect(errorAt(errors, 'response.buttons.0.title')).toBe('at most 20 characters');
    expect(errorAt(errors, 'trigger.keywords')).toBe('too long');
    expect(errorAt(errors, 'response.text')).toBeUndefined();
    expect(errors.form).toBe('number is off');
    expect(botErrorsOf({ name: 'ValidationError', message: 'numberId is not a number you may see' })).toEqual({ form: 'numberId is not a number you may see' });
  });

  test('the list groups bots by precedence stage, each stage by priority then id; timed bots last', () => {
    const bots = [
      bot({ id: 1, priority: 2, trigger: { type: 'fallback' } }),
      bot({ id: 2, priority: 1, trigger: { type: 'exact', keywords: ['hi'] } }),
      bot({ id: 3, priority: 0, trigger: { type: 'idle', minutes: 30 } }),
      bot({ id: 4, priority: 0, trigger: { type: 'contains', keywords: ['refund'] } }),
      bot({ id: 5, priority: 0, trigger: { type: 'exact', keywords: ['hello'] } }),
      bot({ id: 6, priority: 1, trigger: { type: 'asks-human' } }),
    ];
    expect(groupByStage(bots).map((g) => [g.stage, g.bots.map((b) => b.id)])).toEqual([
      ['stop-bot', [6]], ['exact', [5, 2]], ['contains', [4]], ['fallback', [1]], [null, [3]],
    ]);
    expect(stageOf('keywords')).toBe('synonyms');
    expect(stageOf('closed')).toBeNull();
  });
});
