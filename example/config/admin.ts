import { secret } from '../src/secret';

export default ({ env }) => ({
  auth: {
    secret: secret(env, 'ADMIN_JWT_SECRET'),
  },
  apiToken: {
    salt: secret(env, 'API_TOKEN_SALT'),
  },
  transfer: {
    token: {
      salt: secret(env, 'TRANSFER_TOKEN_SALT'),
    },
  },
  secrets: {
    encryptionKey: secret(env, 'ENCRYPTION_KEY'),
  },
  // Tests log in many times in a row; the login rate limit would turn that into 429s.
  rateLimit: {
    enabled: env('NODE_ENV') !== 'test',
  },
  autoOpen: false,
  flags: {
    nps: false,
    promoteEE: false,
  },
});
