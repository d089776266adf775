import { guard } from './guard';

export default [{ method: 'GET', path: '/messages/:id/media', handler: 'media.download', config: guard('inboxRead') }];
