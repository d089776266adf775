import contentTypes from '../content-types';
import bootstrap from './bootstrap';
import config from './config';
import controllers from './controllers';
import destroy from './destroy';
import webhookBody from './middlewares/webhook-body';
import register from './register';
import routes from './routes';
import policies from './policies';
import services from './services';

export default {
  register,
  bootstrap,
  destroy,
  config,
  contentTypes,
  controllers,
  routes,
  services,
  policies,
  middlewares: { 'webhook-body': webhookBody },
};
