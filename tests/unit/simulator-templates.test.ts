import { startTestBed, type TestBed } from '../../simulator/testing';
import { fixture } from '../helpers/fixtures';

/* Meta templates: control API lifecycle + webhooks, Graph listing with cursors, send validation. */

const BOB = '15550003333';
let bed: TestBed;

const page1 = fixture('meta/templates-list-page-1.json');
const page2 = fixture('meta/templates-list-page-2.json');
const byName = (name: string) => [...page1.data, ...page2.data].find((t: any) => t.name === name);
const create = (name: string, status: string, extra: Record<string, unknown> = {}) => {
  const t = byName(name);
  return bed.sim.client.createTemplate({
    wabaId: bed.meta.wabaId,
    id: t.id,
    name: t.name,
    language: t.language,
    category: t.category,
    parameter_format: t.parameter_format,
    components: t.components,
    status,
    ...extra,
  } as any);
};
const send = (template: unknown, to = BOB) =>
  bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { body: { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'template', template } });

beforeAll(async () => {
  bed = await startTestBed();
  // Creation order = listing order, as in the fixture pages.
  await create('invoice_ready', 'PENDING');
  await create('appointment_reminder', 'APPROVED');
  await create('spring_promo', 'PENDING');
  await create('welcome_back', 'PAUSED', { qualityScore: byName('welcome_back').quality_score });
});
afterAll(async () => {
  await bed.close();
});

describe('template status webhooks', () => {
  test('approving sends a message_template_status_update like the APPROVED fixture', async () => {
    bed.recorder.clear();
    const r = await bed.sim.client.approveTemplate('880000000000001');
    expect(r.template.status).toBe('APPROVED');
    expect(r.webhooks).toEqual([expect.objectContaining({ statusCode: 200 })]);
    const post = bed.recorder.posts().at(-1)!;
    const expected = fixture('meta/template-status-update-approved.json');
    expect(post.body.entry[0].changes[0]).toEqual(expected.entry[0].changes[0]);
    expect(post.body.entry[0]).toMatchObject({ id: bed.meta.wabaId, time: expect.any(Number) });
    expect(Object.keys(post.body.entry[0]).sort()).toEqual(Object.keys(expected.entry[0]).sort());
  });

  test('rejecting carries reason and rejection_info like the REJECTED fixture', async () => {
    const expected = fixture('meta/template-status-update-rejected.json');
    const info = expected.entry[0].changes[0].value.rejection_info;
    await bed.sim.client.rejectTemplate('880000000000002', 'INVALID_FORMAT', info);
    const post = bed.recorder.posts().at(-1)!;
    expect(post.body.entry[0].changes[0]).toEqual(expected.entry[0].changes[0]);
  });

  test('GET /{template-id}?fields=status', async () => {
    const res = await bed.graph('/v23.0/880000000000002?fields=status');
    expect(res.body).toEqual({ status: 'REJECTED', id: '880000000000002' });
  });
});

describe('template listing', () => {
  const fields = 'name,status,category,language,components,parameter_format,quality_score,rejected_reason';

  test('pages, cursors and next/previous links match the fixtures', async () => {
    const first = await bed.graph(`/v23.0/${bed.meta.wabaId}/message_templates?fields=${fields}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual(page1.data);
    expect(Object.keys(first.body.paging).sort()).toEqual(Object.keys(page1.paging).sort());
    expect(Object.keys(first.body.paging.cursors).sort()).toEqual(['after', 'before']);
    const next = new URL(first.body.paging.next);
    expect(next.origin).toBe(bed.sim.url);
    expect(next.pathname).toBe(`/v23.0/${bed.meta.wabaId}/message_templates`);
    expect(next.searchParams.get('after')).toBe(first.body.paging.cursors.after);
    expect(next.searchParams.get('limit')).toBe('2');
    expect(next.searchParams.get('fields')).toBe(fields);

    const second = await bed.graph(next.pathname + next.search);
    expect(second.body.data).toEqual(page2.data);
    expect(Object.keys(second.body.paging).sort()).toEqual(Object.keys(page2.paging).sort());
    expect(second.body.paging.next).toBeUndefined();

    const prev = new URL(second.body.paging.previous);
    const back = await bed.graph(prev.pathname + prev.search);
    expect(back.body.data).toEqual(page1.data);
  });

  test('following next until it is absent visits every template once (bounded)', async () => {
    const seen: string[] = [];
    let path: string | null = `/v23.0/${bed.meta.wabaId}/message_templates?limit=1`;
    for (let i = 0; i < 10 && path; i++) {
      const res: { body: any } = await bed.graph(path);
      seen.push(...res.body.data.map((t: any) => t.id));
      path = res.body.paging?.next ? new URL(res.body.paging.next).pathname + new URL(res.body.paging.next).search : null;
    }
    expect(seen).toEqual(['880000000000001', '880000000000003', '880000000000002', '880000000000004']);
  });

  test('status filter, summary and a bad cursor', async () => {
    const approved = await bed.graph(`/v23.0/${bed.meta.wabaId}/message_templates?status=APPROVED&summary=total_count`);
    expect(approved.body.data.map((t: any) => t.name)).toEqual(['invoice_ready', 'appointment_reminder']);
    expect(approved.body.summary).toEqual({ total_count: 2 });
    expect(approved.body.paging.next).toBeUndefined();
    const bad = await bed.graph(`/v23.0/${bed.meta.wabaId}/message_templates?after=bm9wZQ`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe(100);
  });

  test("listing another WABA's templates → 100 unsupported get", async () => {
    const res = await bed.graph('/v23.0/203040506070809/message_templates');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 100, error_subcode: 33 });
  });
});

describe('template sends', () => {
  test('the positional fixture request is accepted with message_status accepted, even outside the window', async () => {
    await bed.sim.client.setWindow(bed.meta.phoneNumberId, BOB, false);
    const res = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { body: { ...fixture('meta/send-request-template-positional.json'), to: BOB } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...fixture('meta/send-message-success-response.json'), contacts: [{ input: BOB, wa_id: BOB }], messages: [{ id: res.body.messages[0].id, message_status: 'accepted' }] });
    await bed.sim.client.settle();
    const msg = await bed.sim.client.message(res.body.messages[0].id);
    expect(msg.status).toBe('read');
    expect(msg.text).toBe('Hi Alice, your invoice INV-2026-001 is ready. Tap below to view it.\nExample Corp billing');
    expect(msg.media).toMatchObject({ filename: 'INV-2026-001.pdf' });
    expect(msg.category).toBe('utility');
  });

  test('the named fixture request is accepted, and names may come in any order', async () => {
    const t = fixture('meta/send-request-template-named.json').template;
    const first = await send(t);
    expect(first.status).toBe(200);
    // The customer's quick-reply buttons carry the payloads the business set.
    expect((await bed.sim.client.message(first.body.messages[0].id)).buttons).toEqual([
      { id: 'CONFIRM_APPT_991', title: 'Confirm', kind: 'quick_reply' },
      { id: 'RESCHEDULE_APPT_991', title: 'Reschedule', kind: 'quick_reply' },
    ]);
    const reordered = { ...t, components: t.components.map((c: any) => (c.type === 'body' ? { ...c, parameters: [...c.parameters].reverse() } : c)) };
    const res = await send(reordered);
    expect(res.status).toBe(200);
    expect((await bed.sim.client.message(res.body.messages[0].id)).text).toBe('Reminder from Example Clinic\nHi Alice, this is a reminder of your appointment on Tuesday 10:00.');
  });

  const positional = () => fixture('meta/send-request-template-positional.json').template;
  const named = () => fixture('meta/send-request-template-named.json').template;
  const withBody = (t: any, parameters: unknown[]) => ({ ...t, components: t.components.map((c: any) => (c.type === 'body' ? { ...c, parameters } : c)) });

  test.each([
    ['a template that does not exist', 132001, () => ({ ...positional(), name: 'no_such_template' })],
    ['a language the template does not have', 132001, () => ({ ...positional(), language: { code: 'en_GB' } })],
    ['a REJECTED template', 132001, () => ({ name: 'spring_promo', language: { code: 'en_US' }, components: [] })],
    ['a PAUSED template', 132015, () => ({ name: 'welcome_back', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'A' }] }] })],
    ['one body parameter instead of two', 132000, () => withBody(positional(), [{ type: 'text', text: 'Alice' }])],
    ['three body parameters instead of two', 132000, () => withBody(positional(), [1, 2, 3].map((i) => ({ type: 'text', text: `v${i}` })))],
    ['no body component at all', 132000, () => ({ ...positional(), components: positional().components.filter((c: any) => c.type !== 'body') })],
    ['the URL button suffix missing', 132000, () => ({ ...positional(), components: positional().components.filter((c: any) => c.type !== 'button') })],
    ['an image for a DOCUMENT header', 132012, () => ({ ...positional(), components: positional().components.map((c: any) => (c.type === 'header' ? { type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.example/a.jpg' } }] } : c)) })],
    ['a named parameter with the wrong name', 132012, () => withBody(named(), [{ type: 'text', parameter_name: 'first_name', text: 'A' }, { type: 'text', parameter_name: 'appointment_date', text: 'B' }])],
    ['named parameters without parameter_name', 132012, () => withBody(named(), [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }])],
    ['the same name twice', 132012, () => withBody(named(), [{ type: 'text', parameter_name: 'first_name', text: 'A' }, { type: 'text', parameter_name: 'first_name', text: 'B' }])],
    ['a button index that does not exist', 131009, () => ({ ...named(), components: [...named().components, { type: 'button', sub_type: 'quick_reply', index: '5', parameters: [{ type: 'payload', payload: 'x' }] }] })],
    ['an empty text value', 131008, () => withBody(positional(), [{ type: 'text', text: '' }, { type: 'text', text: 'B' }])],
    ['no language', 100, () => ({ name: 'invoice_ready' })],
  ])('%s → %s', async (_name, code, make) => {
    const res = await send(make());
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.error).toMatchObject({ code, type: 'OAuthException', error_data: { messaging_product: 'whatsapp', details: expect.any(String) } });
  });

  test('a PENDING template → 132001', async () => {
    await bed.sim.client.createTemplate({ wabaId: bed.meta.wabaId, name: 'pending_note', language: 'en', body: 'Pending {{1}}' });
    const res = await send({ name: 'pending_note', language: { code: 'en' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'x' }] }] });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe(132001);
  });

  test('a count mismatch answers exactly like error-132000-param-count-mismatch.json (but the trace id)', async () => {
    const res = await send(withBody(positional(), [{ type: 'text', text: 'Alice' }]));
    const expected = fixture('meta/error-132000-param-count-mismatch.json');
    expect(res.body).toEqual({ error: { ...expected.error, fbtrace_id: expect.any(String) } });
  });

  test('a DISABLED template → 132016; re-approved → sendable again', async () => {
    await bed.sim.client.setTemplateStatus('880000000000003', 'DISABLED');
    expect((await send(named())).body.error.code).toBe(132016);
    await bed.sim.client.approveTemplate('880000000000003');
    expect((await send(named())).status).toBe(200);
  });

  test('a deleted template disappears from the list and cannot be sent', async () => {
    const t = await bed.sim.client.createTemplate({ wabaId: bed.meta.wabaId, name: 'temp_note', language: 'en', body: 'Note: {{1}}', status: 'APPROVED' });
    expect((await send({ name: 'temp_note', language: { code: 'en' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'x' }] }] })).status).toBe(200);
    await bed.sim.client.deleteTemplate(t.id);
    expect((await send({ name: 'temp_note', language: { code: 'en' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'x' }] }] })).body.error.code).toBe(132001);
    const list = await bed.graph(`/v23.0/${bed.meta.wabaId}/message_templates?limit=100`);
    expect(list.body.data.map((x: any) => x.name)).not.toContain('temp_note');
  });

  test('the control API refuses malformed templates and duplicates', async () => {
    await expect(bed.sim.client.createTemplate({ wabaId: bed.meta.wabaId, name: 'bad_positional', language: 'en', body: 'Hi {{2}}' })).rejects.toMatchObject({ status: 400 });
    await expect(bed.sim.client.createTemplate({ wabaId: bed.meta.wabaId, name: 'bad_named', language: 'en', parameter_format: 'NAMED', body: 'Hi {{FirstName}}' })).rejects.toMatchObject({ status: 400 });
    await expect(create('invoice_ready', 'APPROVED', { id: '1' })).rejects.toMatchObject({ status: 409 });
  });
});
