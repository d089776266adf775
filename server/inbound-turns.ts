/** Fair turns for the inbound worker: one big webhook call or one number's backlog cannot hold up the others (README: Receiving messages). */
import { createKeyedQueue } from './keyed-queue';

/** Where a row's turn starts in its events, and how many it may apply. */
export interface Turn {
  from: number;
  max: number;
}

/** Events a row applies before the rows after it get their turn. */
export const TURN_EVENTS = 100;
/** Events one number's rows may apply in one pass: one number's backlog cannot hold up another's messages. */
export const NUMBER_EVENTS_PER_PASS = 200;

interface Candidate {
  id: number;
  numberId: number;
}

interface TurnDeps<R extends Candidate, E> {
  /** Pending rows that are due, oldest first, with an id above `afterId`. */
  due: (now: Date, afterId: number) => Promise<R[]>;
  parse: (row: R) => E[] | undefined;
  /** The keys (people) whose rows must be applied in row order. */
  peopleOf: (events: E[]) => string[];
  concurrency: () => number;
  /** Applies one turn; returns where the row's next turn starts, or null when it needs none. */
  handle: (row: R, events: E[] | undefined, turn: Turn) => Promise<number | null>;
  /** Asks for another pass once this one is over. */
  again: () => void;
}

/**
 * One pass of the inbound worker. Rows are handed in oldest first, up to `concurrency` in flight;
 * each takes its people's keys before anything awaits, so rows of one person run in id order. A
 * big row applies one turn of events and yields; it and every later row of its people then wait
 * for the next pass, so order is kept while other numbers' and other people's rows go on.
 */
export const createTurns = <R extends Candidate, E>(deps: TurnDeps<R, E>) => {
  const exclusive = createKeyedQueue();
  const progress = new Map<number, number>();

  return async (stopped: () => boolean) => {
    const limit = deps.concurrency();
    const inFlight = new Set<Promise<void>>();
    const budget = new Map<number, number>();
    const held = new Set<string>();
    let cursor = 0;
    let more = false;
    const hold = (people: string[]) => {
      for (const person of people) held.add(person);
      more = true;
    };
    try {
      for (let rows = await deps.due(new Date(), cursor); !stopped(); rows = await deps.due(new Date(), cursor)) {
        if (!rows.length && !inFlight.size) return;
        for (const row of rows) {
          if (stopped()) break;
          cursor = Math.max(cursor, row.id);
          const events = deps.parse(row);
          const people = events ? deps.peopleOf(events) : [];
          const from = progress.get(row.id) ?? 0;
          const left = budget.get(row.numberId) ?? NUMBER_EVENTS_PER_PASS;
          const turn = { from, max: Math.max(0, Math.min(TURN_EVENTS, left)) };
          budget.set(row.numberId, left - Math.max(1, Math.min(turn.max, (events?.length ?? 1) - from)));
          const task: Promise<void> = exclusive(people, async () => {
            if (turn.max === 0 || people.some((person) => held.has(person))) return hold(people);
            const next = await deps.handle(row, events, turn);
            if (next === null) progress.delete(row.id);
            else {
              progress.set(row.id, next);
              hold(people);
            }
          }).finally(() => inFlight.delete(task));
          inFlight.add(task);
          if (inFlight.size >= limit) await Promise.race(inFlight);
        }
        if (!rows.length) await Promise.race(inFlight);
      }
    } finally {
      await Promise.allSettled(inFlight);
      if (more && !stopped()) deps.again();
    }
  };
};
