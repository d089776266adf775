/** The forward-only order of a message's statuses, shared by the receipts (inbound) and the outbox's own `sent` write so neither moves a message back. */

/** Forward-only delivery order; `failed` is terminal and outranks everything. */
export const RANK: Record<string, number> = { received: 0, queued: 0, sending: 0, review: 0, enqueued: 0, sent: 1, delivered: 2, read: 3, played: 3, failed: 9 };

/** The statuses below `status`: the only ones an UPDATE to it may move a message from. */
export const lowerThan = (status: string) => Object.keys(RANK).filter((s) => RANK[s] < RANK[status]);
