/** A stored campaign as the API answers it, and request fields as stored. */
import type { Campaign, CampaignAuditEntry, CampaignCounters, CampaignInput, CampaignOccurrence } from '../../contracts/campaigns';
import { parseCsv } from './csv';

type Row = Record<string, any>;
const AUDIT_KEPT = 200;

/** A campaign row's columns but the CSV text (its own column, read only when an occurrence or pre-flight evaluates the audience). */
export const CAMPAIGN_FIELDS = ['id', 'documentId', 'name', 'numberId', 'template', 'parameters', 'audience', 'csv', 'schedule', 'options', 'state', 'pausedReason', 'nextRunAt', 'audit', 'authorId', 'createdAt', 'updatedAt'];

export const DEFAULT_OPTIONS = { contactedWithinHours: 0, spreadOverDays: false, ecosystemRetries: 1, autoPause: null, replyWindowHours: 24 };

export const replyWindowMs = (campaign: Row) => Number(campaign.options?.replyWindowHours ?? DEFAULT_OPTIONS.replyWindowHours) * 3600_000;

/** The row's fields for a request: the CSV kept as text with what it holds; the audience without it. */
export const campaignData = (input: Partial<CampaignInput>, scopeFilters?: Record<string, unknown> | null): Row => {
  const data: Row = {};
  for (const key of ['name', 'numberId', 'template', 'parameters', 'schedule'] as const) if (input[key] !== undefined) data[key] = input[key];
  if (input.options !== undefined) data.options = { ...DEFAULT_OPTIONS, ...input.options };
  if (input.audience !== undefined) {
    const { csv, ...audience } = input.audience;
    data.audience = { ...audience, scopeFilters: scopeFilters ?? null };
    if (csv) {
      const parsed = parseCsv(csv);
      data.csv = { rows: parsed.rows.length, columns: parsed.columns };
      data.csvText = csv;
    } else if (csv === null) [data.csv, data.csvText] = [null, null]; // An absent csv keeps the stored one (the builder sends it only when a new one was read).
  }
  return data;
};

export const auditEntry = (action: CampaignAuditEntry['action'], user: { id: number; firstname?: string; lastname?: string; email?: string } | null, detail?: string | null): CampaignAuditEntry => ({
  action,
  userId: user?.id ?? null,
  userName: user ? [user.firstname, user.lastname].filter(Boolean).join(' ') || user.email || null : null,
  at: new Date().toISOString(),
  detail: detail ?? null,
});

export const withAudit = (row: Row, entry: CampaignAuditEntry) => [...(row.audit ?? []), entry].slice(-AUDIT_KEPT);

export const occurrenceOut = (row: Row, counters: CampaignCounters): CampaignOccurrence => ({
  id: row.id,
  campaignId: row.campaignId,
  scheduledFor: new Date(row.scheduledFor).toISOString(),
  state: row.state,
  startedAt: row.startedAt ? new Date(row.startedAt).toISOString() : null,
  finishedAt: row.finishedAt ? new Date(row.finishedAt).toISOString() : null,
  counters,
  reason: row.reason ?? null,
});

export const campaignOut = (row: Row, counters: CampaignCounters, occurrence: CampaignOccurrence | null): Campaign => {
  const { scopeFilters: _scope, ...audience } = row.audience ?? {};
  return {
    id: row.id,
    documentId: row.documentId,
    name: row.name,
    numberId: row.numberId,
    template: row.template,
    parameters: row.parameters ?? [],
    audience: { contentType: null, filters: null, phoneField: null, consentField: null, phoneColumn: null, ...audience, csv: row.csv ? { rows: row.csv.rows, columns: row.csv.columns } : null },
    schedule: row.schedule,
    options: { ...DEFAULT_OPTIONS, ...(row.options ?? {}) },
    state: row.state,
    pausedReason: row.state === 'paused' ? row.pausedReason ?? null : null,
    nextRunAt: row.nextRunAt ? new Date(row.nextRunAt).toISOString() : null,
    counters,
    occurrence,
    audit: row.audit ?? [],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
};
