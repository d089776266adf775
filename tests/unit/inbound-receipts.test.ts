import { foldStatuses, lowerThan, type StoredMessage } from '../../server/inbound/apply/status';
import type { StatusEvent } from '../../server/providers';

const at = (s: number) => new Date(Date.UTC(2026, 2, 1, 12, 0, s));
const receipt = (status: StatusEvent['status'], second: number, extra: Partial<StatusEvent> = {}): StatusEvent => ({
  kind: 'status',
  key: `${status}-${second}`,
  businessId: null,
  providerMessageId: 'wamid.1',
  status,
  timestamp: at(second),
  recipient: { waId: '15550001111' } as StatusEvent['recipient'],
  raw: {},
  ...extra,
});
const sent = (overrides: Partial<StoredMessage> = {}): StoredMessage => ({ id: 1, conversationId: 1, providerMessageId: 'wamid.1', status: 'sending', ...overrides });
const classify = () => ({ class: 'window-closed' as const, code: '131047', text: 'more than 24 hours' });

test('receipts in any order land on the highest status, each time the earliest reported', () => {
  const orders = [
    ['read', 'sent', 'delivered'],
    ['delivered', 'read', 'sent'],
    ['sent', 'delivered', 'read'],
  ] as const;
  for (const order of orders) {
    const seconds = { sent: 1, delivered: 2, read: 3 };
    const { data, status } = foldStatuses(sent(), order.map((s) => receipt(s, seconds[s])), classify);
    expect(status).toBe('read');
    expect(data).toEqual({ sentAt: at(1), deliveredAt: at(2), readAt: at(3) });
  }
});

test('a status never moves back, and a duplicate changes nothing', () => {
  expect(foldStatuses(sent({ status: 'read', sentAt: at(1), deliveredAt: at(2), readAt: at(3) }), [receipt('delivered', 2), receipt('sent', 1)], classify)).toEqual({ data: {}, status: null });
  expect(foldStatuses(sent({ status: 'delivered', deliveredAt: at(2) }), [receipt('delivered', 2)], classify)).toEqual({ data: {}, status: null });
});

test('read without delivered sets both times; played counts as read', () => {
  expect(foldStatuses(sent({ status: 'sent' }), [receipt('played', 5)], classify)).toEqual({ data: { readAt: at(5), deliveredAt: at(5) }, status: 'read' });
});

test('failed is terminal and keeps the first failure’s reason', () => {
  const first = foldStatuses(sent({ status: 'read' }), [receipt('failed', 9, { errors: [{ code: '131047' } as any] }), receipt('failed', 10)], classify);
  expect(first).toEqual({ data: { failedAt: at(9), errorClass: 'window-closed', errorCode: '131047', errorText: 'more than 24 hours' }, status: 'failed' });
  expect(foldStatuses(sent({ status: 'failed', failedAt: at(9) }), [receipt('read', 11)], classify)).toEqual({ data: { readAt: at(11), deliveredAt: at(11) }, status: null });
});

test('a second provider id is recorded once in the payload', () => {
  const { data } = foldStatuses(sent({ status: 'sent', payload: { a: 1 } }), [receipt('delivered', 2, { altMessageId: 'gs-1' }), receipt('read', 3, { altMessageId: 'gs-1' })], classify);
  expect(data.payload).toEqual({ a: 1, whatsappId: 'gs-1' });
});

test('an UPDATE to a status may only move messages from the statuses below it', () => {
  expect(lowerThan('delivered').sort()).toEqual(['enqueued', 'queued', 'received', 'review', 'sending', 'sent'].sort());
  expect(lowerThan('read')).not.toContain('read');
  expect(lowerThan('read')).not.toContain('failed');
  expect(lowerThan('failed')).toEqual(expect.arrayContaining(['read', 'played', 'delivered', 'sent']));
});
