/**
 * Pure planning for the inbound worker (README: Receiving messages): which of a batch of due rows
 * run now and how far (fair turns), and how they split into lanes that may run side by side while
 * one person's rows keep their order.
 */

/** Where a row's turn starts in its events, and how many it may apply. */
export interface Turn {
  from: number;
  max: number;
}

/** Events a row applies before the rows after it get their turn. */
export const TURN_EVENTS = 100;
/** Events one number's rows may apply in one pass: one number's backlog cannot hold up another's messages. */
export const NUMBER_EVENTS_PER_PASS = 200;

export interface Candidate {
  id: number;
  numberId: number;
}

export interface Planned<R> {
  row: R;
  /** The row's events; undefined when its body does not parse (the worker records why). */
  events: unknown[] | undefined;
  people: string[];
  turn: Turn;
}

/** What a pass remembers from batch to batch: events each number has used, people held back, rows part-way through. */
export interface PassState {
  budget: Map<number, number>;
  /** People whose earlier row this pass left pending: the pass looks again when it ends. */
  held: Set<string>;
  /** People whose earlier row waits on its backoff or another worker's lease: its own retry brings them back. */
  waiting: Set<string>;
  /** Row id → where its next turn starts (kept across passes). */
  progress: Map<number, number>;
}

export const newPassState = (progress = new Map<number, number>()): PassState => ({ budget: new Map(), held: new Set(), waiting: new Set(), progress });

/** Numbers that used their events for this pass. */
export const spentNumbers = (state: PassState) => [...state.budget].filter(([, left]) => left <= 0).map(([numberId]) => numberId);

/**
 * Rows run in id order. A row waits for a later pass when its number's budget is spent or one of
 * its people is held; a row whose turn ends before its last event holds its people, so no later
 * row of theirs overtakes it. Answers the rows to run (with their turns) and those left for later.
 */
export const planTurns = <R extends Candidate>(
  rows: { row: R; events: unknown[] | undefined; people: string[] }[],
  state: PassState
): { run: Planned<R>[]; later: R[] } => {
  const run: Planned<R>[] = [];
  const later: R[] = [];
  for (const { row, events, people } of rows) {
    const from = state.progress.get(row.id) ?? 0;
    const left = state.budget.get(row.numberId) ?? NUMBER_EVENTS_PER_PASS;
    const turn = { from, max: Math.max(0, Math.min(TURN_EVENTS, left)) };
    state.budget.set(row.numberId, left - Math.max(1, Math.min(turn.max, (events?.length ?? 1) - from)));
    const waits = people.some((person) => state.waiting.has(person));
    if (turn.max === 0 || waits || people.some((person) => state.held.has(person))) {
      for (const person of people) (waits ? state.waiting : state.held).add(person);
      later.push(row);
      continue;
    }
    if (events && from + turn.max < events.length) for (const person of people) state.held.add(person);
    run.push({ row, events, people, turn });
  }
  return { run, later };
};

/**
 * Of planned rows in order, those that may run: a row runs only when every earlier row sharing one
 * of its people runs too (`runs` says which may on their own, e.g. whose claim succeeded). The
 * others, and every later row of their people, go back; their people join `waiting`.
 */
export const inOrder = <T extends { people: string[] }>(items: T[], runs: (item: T) => boolean, waiting: Set<string>): { keep: T[]; back: T[] } => {
  const keep: T[] = [];
  const back: T[] = [];
  for (const item of items) {
    if (runs(item) && !item.people.some((person) => waiting.has(person))) keep.push(item);
    else {
      for (const person of item.people) waiting.add(person);
      back.push(item);
    }
  }
  return { keep, back };
};

/** Events a lane is given at least: a few events split over several transactions cost more round trips than they save. */
export const MIN_LANE_EVENTS = 40;

/**
 * Splits planned rows into at most `count` lanes, and no more than gives each `minEvents` events:
 * rows that share a person (directly or through another row) go to one lane in their order; whole
 * groups are dealt to the lane with the fewest events so far.
 */
export const lanesOf = <T extends { people: string[]; events: unknown[] | undefined; turn: Turn }>(items: T[], count: number, minEvents = MIN_LANE_EVENTS): T[][] => {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const owner = new Map<string, number>();
  items.forEach((item, i) => {
    for (const person of item.people) {
      const seen = owner.get(person);
      if (seen === undefined) owner.set(person, i);
      else parent[find(i)] = find(seen);
    }
  });
  const groups = new Map<number, T[]>();
  items.forEach((item, i) => {
    const root = find(i);
    if (!groups.has(root)) groups.set(root, []);
    groups.get(root)!.push(item);
  });
  const size = (item: T) => Math.max(1, Math.min(item.turn.max, (item.events?.length ?? 1) - item.turn.from));
  const events = items.reduce((sum, item) => sum + size(item), 0);
  const lanes: T[][] = Array.from({ length: Math.max(1, Math.min(count, groups.size, Math.floor(events / Math.max(1, minEvents)))) }, () => []);
  const load = lanes.map(() => 0);
  for (const group of groups.values()) {
    const lane = load.indexOf(Math.min(...load));
    // Groups keep their first row's place: lanes stay in id order, so older rows go first.
    lanes[lane].push(...group);
    load[lane] += group.reduce((sum, item) => sum + size(item), 0);
  }
  const position = new Map(items.map((item, i) => [item, i]));
  return lanes.filter((lane) => lane.length).map((lane) => lane.sort((a, b) => position.get(a)! - position.get(b)!));
};
