import type { Core } from '@strapi/strapi';
import { getConfig } from './utils';

/** Where providers and customers reach this server: the plugin's `publicUrl`, else Strapi's `server.url`, else host and port. */
export const publicUrl = (strapi: Core.Strapi) => {
  const configured = getConfig(strapi, 'publicUrl');
  if (configured) return configured.replace(/\/+$/, '');
  const serverUrl = strapi.config.get<string>('server.url');
  if (serverUrl && /^https?:\/\//.test(serverUrl)) return serverUrl.replace(/\/+$/, '');
  const host = strapi.config.get<string>('server.host', 'localhost');
  const port = strapi.config.get<number>('server.port', 1337);
  return `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
};

/** The admin panel's address as a customer's link needs it: its own URL when served elsewhere, else below publicUrl. */
export const adminUrl = (strapi: Core.Strapi) => {
  const configured = strapi.config.get<string>('admin.url', '/admin');
  if (/^https?:\/\//.test(configured)) return configured.replace(/\/+$/, '');
  return `${publicUrl(strapi)}${strapi.config.get<string>('admin.path', configured)}`.replace(/\/+$/, '');
};
