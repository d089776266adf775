import { secret } from '../src/secret';

export default ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  app: {
    keys: secret(env, 'APP_KEYS').split(',').map((key) => key.trim()),
  },
});
