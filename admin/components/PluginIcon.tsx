import { Message } from '@strapi/icons';

export const PluginIcon = () => <Message />;
