import type { Core } from '@strapi/strapi';

/**
 * The demo's WhatsApp number: a Meta number whose "Graph API" is the local simulator, registered
 * there with this app's webhook URL so customer messages typed on the simulator's page arrive here.
 * Only under `npm start` (SIMULATOR_URL set); never in a real deployment.
 */
const DEMO = {
  label: 'Demo (simulator)',
  provider: 'meta',
  phone: '+15550001111',
  phoneNumberId: '109876543210987',
  wabaId: '102030405060708',
  accessToken: 'demo-simulator-token',
  appSecret: 'demo-simulator-app-secret',
  verifyToken: 'demo-verify-token',
};

export const connectDemoNumber = async (strapi: Core.Strapi, simulatorUrl: string) => {
  const numbers = strapi.plugin('whatsapp').service('numbers');
  const existing = (await numbers.list()).find((n: any) => n.phoneNumberId === DEMO.phoneNumberId);
  const number = existing ?? (await numbers.create(DEMO));
  const port = strapi.config.get('server.port');
  const webhookUrl = `http://127.0.0.1:${port}${new URL(number.webhookUrl).pathname}`;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    try {
      const res = await fetch(`${simulatorUrl}/_sim/meta/numbers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          phoneNumberId: DEMO.phoneNumberId,
          wabaId: DEMO.wabaId,
          displayPhoneNumber: DEMO.phone.replace('+', ''),
          accessToken: DEMO.accessToken,
          appSecret: DEMO.appSecret,
          verifyToken: DEMO.verifyToken,
          verifiedName: 'Example CRM',
          webhookUrl,
        }),
      });
      if (res.ok) {
        strapi.log.info(`[example] Demo number ${DEMO.phone} is connected to the simulator: type as a customer at ${simulatorUrl}/`);
        return;
      }
    } catch {
      // The simulator starts beside Strapi; give it a moment.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  strapi.log.warn(`[example] Could not reach the simulator at ${simulatorUrl}; the demo number is saved but not connected.`);
};
