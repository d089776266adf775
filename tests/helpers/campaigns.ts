import type { RunningSimulator } from '../../simulator';
import type { TestApp } from './strapi';

/** One round of the campaign feed, the dispatcher and the receipts they cause. */
export const campaignRound = async (app: TestApp, sim: RunningSimulator) => {
  const plugin = app.strapi.plugin('whatsapp');
  for (const name of ['campaigns', 'dispatcher']) {
    plugin.service(name).kick();
    await plugin.service(name).idle();
  }
  await sim.client.settle();
  plugin.service('inbound').kick();
  await plugin.service('inbound').idle();
};

/** Runs rounds until `done` holds (polled, with a timeout): never a fixed sleep deciding the outcome. */
export const until = async (app: TestApp, sim: RunningSimulator, done: () => Promise<boolean>, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await campaignRound(app, sim);
    if (await done()) return;
    if (Date.now() > deadline) throw new Error('timed out waiting for the campaign');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** Polls `done` while the workers run on their own (no round forces them to finish what they hold). */
export const waitFor = async (done: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
