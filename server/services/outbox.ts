import type { Core } from '@strapi/strapi';
import type { ReplyRequest } from '../../contracts/inbox';
import { UID } from '../constants';
import { RateLimiter } from '../rate-limiter';
import { getService } from '../utils';
import { createBullmqDriver } from '../outbox/bullmq-driver';
import { createDelivery, NUMBER_OFF, NUMBER_REAUTH, type Row } from '../outbox/deliver';
import type { OutboxDriver } from '../outbox/driver';
import { createEnqueue, type Author, type Target } from '../outbox/enqueue';
import { createEnqueueMany, type BatchItem } from '../outbox/enqueue-many';
import type { DailyTally } from '../outbox/daily-budget';
import { createLocalDriver } from '../outbox/local-driver';

/**
 * The outbox (server/outbox/): `enqueue` is the one way a message leaves, `deliver` sends a row,
 * and a driver carries rows between them: the in-process loop for one instance, BullMQ for
 * several (Redis configured), chosen once when first needed.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let chosen: OutboxDriver | null = null;
  const driver = () => {
    if (!chosen) {
      const delivery = createDelivery(strapi);
      chosen = getService('cluster', { strapi }).enabled() ? createBullmqDriver(strapi, delivery) : createLocalDriver(strapi, delivery, new RateLimiter().limits());
    }
    return chosen;
  };
  const door = createEnqueue(strapi, (rows) => driver().schedule(rows));
  const batchDoor = createEnqueueMany(strapi, (rows) => driver().schedule(rows));

  return {
    start: () => driver().start(),
    stop: () => driver().stop(),
    kick: () => driver().kick(),
    idle: () => driver().idle(),

    /** The message a request with this idempotency key already queued in the conversation, if any. */
    queued: door.queued,

    /** Checks (admission, by the author's source), stores and queues a message; see server/outbox/enqueue.ts. */
    enqueue: (target: Target, input: ReplyRequest, author: Author): Promise<Row> => door.enqueue(target, input, author),

    /** `enqueue` for a batch of template sends from one number (a campaign's page), each admitted on its own; see server/outbox/enqueue-many.ts. */
    enqueueMany: (numberId: number, items: BatchItem[], author: Author, tally?: DailyTally) => batchDoor(numberId, items, author, tally),

    /** A number switched on again (or given working credentials): its rows that waited for it are due now. */
    async resume(numberId: number) {
      await strapi.db.query(UID.message as any).updateMany({ where: { numberId, direction: 'out', status: 'queued', errorText: { $in: [NUMBER_OFF, NUMBER_REAUTH] } }, data: { nextAttemptAt: null, errorText: null } });
      driver().kick();
    },
  };
};
