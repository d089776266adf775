import { createSimulator } from './index';

/** `npm run simulator`: starts the provider simulator on 127.0.0.1:$SIMULATOR_PORT (default 4010). */
const main = async () => {
  const port = Number(process.env.SIMULATOR_PORT ?? 4010);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SIMULATOR_PORT must be a port number, got "${process.env.SIMULATOR_PORT}"`);
  const sim = await createSimulator({ port, host: '127.0.0.1', publicUrl: process.env.SIMULATOR_PUBLIC_URL });
  process.stdout.write(
    [
      `WhatsApp provider simulator listening on ${sim.url}`,
      `  customer page:  ${sim.url}/`,
      `  Meta Graph API: ${sim.url}/v23.0/...   (WHATSAPP_META_BASE_URL=${sim.url})`,
      `  Gupshup API:    ${sim.url}/wa/api/v1/msg   (WHATSAPP_GUPSHUP_BASE_URL=${sim.url})`,
      `  AiSensy API:    ${sim.url}/campaign/t1/api/v2   (WHATSAPP_AISENSY_BASE_URL=${sim.url})`,
      `  control API:    ${sim.url}/_sim/state`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

main().catch((e) => {
  process.stderr.write(`simulator failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
