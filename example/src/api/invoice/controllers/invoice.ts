import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::invoice.invoice');
