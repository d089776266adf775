import type { Core } from '@strapi/strapi';
import type { PluginConfig } from './config';
import { PLUGIN_ID } from './constants';
import type services from './services';

export type Services = { [K in keyof typeof services]: ReturnType<(typeof services)[K]> };

export const getService = <K extends keyof Services>(name: K, { strapi }: { strapi: Core.Strapi }): Services[K] =>
  strapi.plugin(PLUGIN_ID).service(name) as Services[K];

export const getConfig = <K extends keyof PluginConfig>(strapi: Core.Strapi, key: K): PluginConfig[K] =>
  strapi.plugin(PLUGIN_ID).config(key) as PluginConfig[K];
