import { guard } from './guard';

export default [
  { method: 'GET', path: '/stream', handler: 'stream.open', config: guard('inboxRead') },
  { method: 'POST', path: '/stream/ticket', handler: 'stream.ticket', config: guard('inboxRead') },
];
