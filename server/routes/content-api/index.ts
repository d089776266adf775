import { PLUGIN_ID } from '../../constants';

/**
 * A function handler rather than a 'controller.action' string: Strapi lists only string-bound
 * content-api actions in Users & Permissions (and API token scopes), where these public routes would be toggles that do nothing.
 */
const unlisted = (controller: string, action: string) => (ctx: any, next: any) => strapi.plugin(PLUGIN_ID).controller(controller)[action](ctx, next);

/**
 * Provider webhooks. Public to Strapi's auth (`auth: false`): each call is authenticated by the
 * provider's own rules (signature, verify token, the unguessable key in the URL).
 */
export default () => ({
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/webhooks/:numberKey', handler: unlisted('webhooks', 'handshake'), config: { auth: false } },
    { method: 'POST', path: '/webhooks/:numberKey', handler: unlisted('webhooks', 'receive'), config: { auth: false } },
    // The inbox stream for an EventSource: authenticated by a single-use ticket from POST /whatsapp/stream/ticket.
    { method: 'GET', path: '/stream', handler: unlisted('stream', 'openWithTicket'), config: { auth: false } },
  ],
});
