import fs from 'fs';
import path from 'path';
import { secret } from '../src/secret';

/** The plugin is the repository this example lives in (found from both config/ and dist/config/). */
const pluginRoot = () => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'strapi-plugin-whatsapp') return dir;
  }
  throw new Error('example: cannot find the strapi-plugin-whatsapp package above this folder');
};

/** The host's own upload security, as a new Strapi 5.54 app sets it; from comma lists here so a test can boot with it. */
const uploadSecurity = (env) => ({
  ...(env('UPLOAD_DENIED_TYPES') ? { deniedTypes: env.array('UPLOAD_DENIED_TYPES') } : {}),
  ...(env('UPLOAD_ALLOWED_TYPES') ? { allowedTypes: env.array('UPLOAD_ALLOWED_TYPES') } : {}),
});

export default ({ env }) => ({
  'users-permissions': {
    config: { jwtSecret: secret(env, 'JWT_SECRET') },
  },
  ...(Object.keys(uploadSecurity(env)).length ? { upload: { config: { security: uploadSecurity(env) } } } : {}),
  whatsapp: {
    enabled: true,
    resolve: pluginRoot(),
    config: {
      // Random per install (npm start writes it to example/.env), never a constant in the repository.
      encryptionKey: secret(env, 'WHATSAPP_ENCRYPTION_KEY'),
      publicUrl: env('WHATSAPP_PUBLIC_URL', `http://localhost:${env('PORT', '1337')}`),
      // Set for several instances (with PostgreSQL): sends, limits, live events and cron locks go through Redis.
      ...(env('WHATSAPP_REDIS_URL') ? { redis: { url: env('WHATSAPP_REDIS_URL'), prefix: env('WHATSAPP_REDIS_PREFIX', 'whatsapp') } } : {}),
      ...(env('WHATSAPP_CRON_TEMPLATE_SYNC') || env('WHATSAPP_CRON_BOTS')
        ? { cron: { enabled: true, ...(env('WHATSAPP_CRON_TEMPLATE_SYNC') ? { templateSync: env('WHATSAPP_CRON_TEMPLATE_SYNC') } : {}), ...(env('WHATSAPP_CRON_BOTS') ? { bots: env('WHATSAPP_CRON_BOTS') } : {}) } }
        : {}),
    },
  },
});
