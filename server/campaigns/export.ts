/** The recipients export: every recipient of the campaign with its timestamps and error, spreadsheet-safe. */
import type { CampaignRecipient } from '../../contracts/campaigns';
import { RECIPIENTS_CSV_COLUMNS } from '../../contracts/campaign-api';
import { csvLine } from './csv';

export const recipientsCsv = (rows: CampaignRecipient[]) =>
  csvLine([...RECIPIENTS_CSV_COLUMNS]) + rows.map((r) => csvLine(RECIPIENTS_CSV_COLUMNS.map((c) => r[c]))).join('');

/** A file name for the download: the campaign's name in safe characters. */
export const exportName = (name: string, id: number) => `campaign-${id}-${name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'recipients'}.csv`;
