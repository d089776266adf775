/** The host's schema is what any admin already sees in the Content-Type Builder: signed-in admins only. */
export default [
  { method: 'GET', path: '/host/content-types', handler: 'host.contentTypes', config: { policies: ['admin::isAuthenticatedAdmin'] } },
];
