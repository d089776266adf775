import { guard } from './guard';

// A customer's file, served by the media-access controller and service (team-checked, never by its upload URL).

export default [{ method: 'GET', path: '/messages/:id/media', handler: 'media-access.download', config: guard('inboxRead') }];
