import crypto from 'node:crypto';
import request from 'supertest';
import type { Core } from '@strapi/strapi';

export const signMeta = (raw: string | Buffer, secret: string) =>
  `sha256=${crypto.createHmac('sha256', secret).update(raw).digest('hex')}`;

/** POSTs the exact bytes given, signed as Meta signs them (unless a signature is given). */
export const postMeta = (server: any, webhookUrl: string, raw: string, secret: string, signature?: string | null) => {
  const req = request(server).post(new URL(webhookUrl).pathname).set('Content-Type', 'application/json');
  if (signature !== null) req.set('X-Hub-Signature-256', signature ?? signMeta(raw, secret));
  return req.send(raw);
};

/** Runs the inbound worker until nothing it can process is left. */
export const settle = async (strapi: Core.Strapi) => {
  const inbound = strapi.plugin('whatsapp').service('inbound');
  inbound.kick();
  await inbound.idle();
};

/** Makes every pending row due now (retries wait for their backoff otherwise) and settles. */
export const settleWithRetries = async (strapi: Core.Strapi) => {
  await strapi.db.query('plugin::whatsapp.webhook-event').updateMany({ where: { state: 'pending' }, data: { lockedUntil: null } });
  await settle(strapi);
};
