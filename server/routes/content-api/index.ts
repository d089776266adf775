/**
 * Provider webhooks. Public to Strapi's auth (`auth: false`): each call is authenticated by the
 * provider's own rules (signature, verify token, the unguessable key in the URL).
 */
export default () => ({
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/webhooks/:numberKey', handler: 'webhooks.handshake', config: { auth: false } },
    { method: 'POST', path: '/webhooks/:numberKey', handler: 'webhooks.receive', config: { auth: false } },
    // The inbox stream for an EventSource: authenticated by a single-use ticket from POST /whatsapp/stream/ticket.
    { method: 'GET', path: '/stream', handler: 'stream.openWithTicket', config: { auth: false } },
  ],
});
