import fs from 'fs';
import path from 'path';

/** The plugin is the repository this example lives in (found from both config/ and dist/config/). */
const pluginRoot = () => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'strapi-plugin-whatsapp') return dir;
  }
  throw new Error('example: cannot find the strapi-plugin-whatsapp package above this folder');
};

export default ({ env }) => ({
  'users-permissions': {
    config: { jwtSecret: env('JWT_SECRET', 'demo-users-permissions-jwt-secret') },
  },
  whatsapp: {
    enabled: true,
    resolve: pluginRoot(),
    config: {
      // A demo key so the example runs out of the box; production sets its own.
      encryptionKey: env('WHATSAPP_ENCRYPTION_KEY', 'demo-only-whatsapp-key-change-me'),
      publicUrl: env('WHATSAPP_PUBLIC_URL', `http://localhost:${env('PORT', '1337')}`),
      // Set for several instances (with PostgreSQL): sends, limits, live events and cron locks go through Redis.
      ...(env('WHATSAPP_REDIS_URL') ? { redis: { url: env('WHATSAPP_REDIS_URL'), prefix: env('WHATSAPP_REDIS_PREFIX', 'whatsapp') } } : {}),
      ...(env('WHATSAPP_CRON_TEMPLATE_SYNC') ? { cron: { enabled: true, templateSync: env('WHATSAPP_CRON_TEMPLATE_SYNC') } } : {}),
    },
  },
});
