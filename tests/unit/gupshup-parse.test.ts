import { gupshup } from '../../server/providers/gupshup';
import { MalformedPayloadError, type CanonicalEvent } from '../../server/providers/types';
import { fixture } from '../helpers/fixtures';

/** What each Gupshup callback fixture carries (tests/fixtures/README.md). */
const EXPECTED: Record<string, Partial<CanonicalEvent> & Record<string, unknown>> = {
  'inbound-text.json': { kind: 'message', type: 'text', text: 'Hello, is the invoice ready?' },
  'inbound-text-bsuid-enabled.json': { kind: 'message', type: 'text' },
  'inbound-image.json': { kind: 'message', type: 'image', text: 'Photo of the damaged part' },
  'inbound-button-reply.json': { kind: 'message', type: 'interactive' },
  'message-event-enqueued.json': { kind: 'status', status: 'enqueued', providerMessageId: 'ee4a68a0-1203-4c85-8dc3-49d0b3226a35' },
  'message-event-sent.json': { kind: 'status', status: 'sent', providerMessageId: 'ee4a68a0-1203-4c85-8dc3-49d0b3226a35' },
  'message-event-delivered.json': { kind: 'status', status: 'delivered', providerMessageId: 'ee4a68a0-1203-4c85-8dc3-49d0b3226a35' },
  'message-event-read.json': { kind: 'status', status: 'read', providerMessageId: 'ee4a68a0-1203-4c85-8dc3-49d0b3226a35' },
  'message-event-failed.json': { kind: 'status', status: 'failed' },
  'template-event-status-update.json': { kind: 'template', status: 'APPROVED', name: 'invoice_ready', language: 'en' },
  'user-event-opted-in.json': { kind: 'consent', status: 'opted-in', source: 'gupshup-event', customer: { waId: '15550002222' } },
  'user-event-sandbox-start.json': { kind: 'other', field: 'user-event' },
  'v3-status-enqueued.json': { kind: 'status', status: 'enqueued', providerMessageId: 'ee4a68a0-1203-4c85-8dc3-49d0b3226a35' },
};

describe('Gupshup callback fixtures parse to exactly the events they hold', () => {
  test.each(Object.entries(EXPECTED))('%s', (name, expected) => {
    const events = gupshup.parse(fixture(`gupshup/${name}`));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject(expected);
  });

  test('sent, delivered and read all point at the id the send returned, with the WhatsApp id beside it', () => {
    const sendAnswer = fixture('gupshup/send-success-response.json');
    for (const name of ['message-event-sent.json', 'message-event-delivered.json', 'message-event-read.json']) {
      const [event] = gupshup.parse(fixture(`gupshup/${name}`)) as any[];
      expect(event.providerMessageId).toBe(sendAnswer.messageId);
      expect(event.altMessageId).toMatch(/^wamid\./);
    }
  });

  test('a failure keeps the code and reason', () => {
    const [failed] = gupshup.parse(fixture('gupshup/message-event-failed.json')) as any[];
    expect(failed.errors[0]).toMatchObject({ code: '1002' });
    expect(gupshup.classify({ response: { status: 400, data: { status: 'error', code: 1002, message: 'x' } } }).class).toBe('invalid-recipient');
  });

  test('the sender and business app come through', () => {
    const [m] = gupshup.parse(fixture('gupshup/inbound-text.json')) as any[];
    expect(m).toMatchObject({ businessId: 'ExampleCrmApp', from: { waId: '15550002222', name: 'Alice Example' } });
    expect(m.timestamp.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  test('an unknown inner type is unsupported, not a crash', () => {
    const body = fixture('gupshup/inbound-text.json');
    body.payload.type = 'poll';
    expect(gupshup.parse(body)[0]).toMatchObject({ kind: 'message', type: 'unsupported' });
  });

  test.each([['a string', 'x'], ['no payload', { app: 'a', type: 'message' }], ['message without id', { app: 'a', type: 'message', payload: { source: '1' } }]])(
    '%s is a malformed payload',
    (_n, body) => expect(() => gupshup.parse(body)).toThrow(MalformedPayloadError)
  );
});
