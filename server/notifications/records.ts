/** Reading the records a rule fires on (only the fields it names) and recording firings. */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { recordAdminPath } from '../content-manager-scope';
import { rowInserter, type Db } from '../db-rows';
import { adminUrl } from '../public-url';
import { getService } from '../utils';
import type { FiringRow, Row } from './logic';
import { pathIssues, populateFor as populateTree } from './paths';

/**
 * Related records carry only the fields the rule names: nothing else of them can reach a trace or
 * a message. The recipient's record also carries its opt-out flag, read only by the opt-out check.
 */
export const populateFor = async (strapi: Core.Strapi, uid: string, rule: Row) => populateTree(strapi, uid, rule, await getService('opt-out', { strapi }).fields());

/** The record's address in the admin panel, for a `link` parameter. */
export const recordLink = (strapi: Core.Strapi, uid: string, record: Row) => `${adminUrl(strapi)}${recordAdminPath(uid, record.documentId)}`;

/** Why no one may send what a rule reads (a rule saved before the paths were checked), or null. */
export const refusalOf = async (strapi: Core.Strapi, rule: Row) => {
  const [issue] = await pathIssues(strapi, rule);
  return issue ? `${issue.where}: ${issue.message}` : null;
};

/** The record a rule fires on, with what the rule reads of its relations. */
export const loadRecord = async (strapi: Core.Strapi, uid: string, documentId: string, rule: Row, locale?: string | null) =>
  (await strapi.documents(uid as any).findOne({ documentId, ...(locale ? { locale } : {}), populate: (await populateFor(strapi, uid, rule)) as any })) as Row | null;

/** A record with its first-level relations, for telling whether an update changed anything. */
export const loadState = async (strapi: Core.Strapi, uid: string, documentId: string, locale?: string) =>
  (await strapi.documents(uid as any).findOne({ documentId, ...(locale ? { locale } : {}), populate: '*' as any })) as Row | null;

/** Inserts firing rows (in the caller's transaction); a duplicate key is a no-op, never an error that would abort the host's write. */
export const recordFirings = (strapi: Core.Strapi, db: Db, rows: FiringRow[]) =>
  rowInserter(strapi, UID.notificationFiring).insertIfNone(db, rows.map((row) => ({ ...row, attempts: 0 })), ['key']);
