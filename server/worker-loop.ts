import type { Core } from '@strapi/strapi';

export interface WorkerLoop {
  /** Look for work now; a call while a pass runs makes it look once more when done. */
  kick(): void;
  /** Resolves when no pass is running. */
  idle(): Promise<void>;
  /** First pass now (work a crash left behind), then one every `sweepMs` for retries that come due. */
  start(): void;
  stop(): Promise<void>;
}

/** The in-process driver of a database-backed worker: one pass at a time, never overlapping. */
export const createWorkerLoop = (
  strapi: Core.Strapi,
  name: string,
  pass: (stopped: () => boolean) => Promise<void>,
  sweepMs: number
): WorkerLoop => {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let sweep: NodeJS.Timeout | null = null;
  const isStopped = () => stopped;

  const run = async () => {
    do {
      again = false;
      await pass(isStopped);
    } while (again && !stopped);
  };

  const loop: WorkerLoop = {
    kick() {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = run()
        .catch((error) => {
          strapi.log.error(`[whatsapp] ${name}: ${(error as Error).message}`);
        })
        .finally(() => {
          running = null;
        });
    },
    async idle() {
      while (running) await running;
    },
    start() {
      stopped = false;
      loop.kick();
      sweep = setInterval(() => loop.kick(), sweepMs);
      sweep.unref();
    },
    async stop() {
      stopped = true;
      if (sweep) clearInterval(sweep);
      sweep = null;
      await loop.idle();
    },
  };
  return loop;
};
