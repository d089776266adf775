import type { Core } from '@strapi/strapi';

/** A few records to try the plugin on; fictional +1 555 numbers, as in the provider fixtures. */
const CONTACTS = [
  { name: 'Alice Example', phone: '+15550002222', email: 'alice@example.com', company: 'Example Corp' },
  { name: 'Bob Example', phone: '+15550003333', email: 'bob@example.com', company: 'Example Ltd' },
];
const LEADS = [
  { name: 'Carol Prospect', phone: '+15550005555', email: 'carol@example.com', status: 'new', source: 'website' },
  { name: 'Dan Prospect', phone: '+15550006666', email: 'dan@example.com', status: 'contacted', source: 'referral' },
];

export const seedDemo = async (strapi: Core.Strapi) => {
  if ((await strapi.documents('api::contact.contact').count({})) > 0) return;
  const contacts = [];
  for (const data of CONTACTS) {
    contacts.push(await strapi.documents('api::contact.contact').create({ data, status: 'published' }));
  }
  for (const data of LEADS) {
    await strapi.documents('api::lead.lead').create({ data: data as any, status: 'published' });
  }
  const due = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);
  await strapi.documents('api::invoice.invoice').create({
    data: { number: 'INV-1001', amount: 120.5, currency: 'USD', dueDate: due, contact: contacts[0].documentId } as any,
  });
  await strapi.documents('api::invoice.invoice').create({
    data: { number: 'INV-1002', amount: 980, currency: 'USD', dueDate: due, contact: contacts[1].documentId } as any,
  });
  strapi.log.info('[example] Seeded demo contacts, leads and invoices');
};
