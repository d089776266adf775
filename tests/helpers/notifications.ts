import type { RunningSimulator } from '../../simulator';
import type { TestApp } from './strapi';

/** Runs the notification worker, the outbox and the receipts they cause until nothing is left to do. */
export const settleNotifications = async (app: TestApp, sim: RunningSimulator) => {
  const plugin = app.strapi.plugin('whatsapp');
  for (let i = 0; i < 3; i += 1) {
    for (const name of ['notifications', 'outbox']) {
      plugin.service(name).kick();
      await plugin.service(name).idle();
    }
    await sim.client.settle();
    // Receipts the simulator sent are applied by the inbound worker, after the webhook answered.
    plugin.service('inbound').kick();
    await plugin.service('inbound').idle();
  }
};
