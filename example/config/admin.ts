export default ({ env }) => ({
  auth: {
    secret: env('ADMIN_JWT_SECRET', 'demo-admin-jwt-secret'),
  },
  apiToken: {
    salt: env('API_TOKEN_SALT', 'demo-api-token-salt'),
  },
  transfer: {
    token: {
      salt: env('TRANSFER_TOKEN_SALT', 'demo-transfer-token-salt'),
    },
  },
  secrets: {
    encryptionKey: env('ENCRYPTION_KEY', 'demo-strapi-encryption-key'),
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
