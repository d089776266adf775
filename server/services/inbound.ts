import type { Core } from '@strapi/strapi';
import { createInboundWorker } from '../inbound/worker';

/** The inbound worker as a service (start/stop/kick/idle): its stages live in server/inbound/. */
export default ({ strapi }: { strapi: Core.Strapi }) => createInboundWorker(strapi);
