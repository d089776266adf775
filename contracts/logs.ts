/** The webhook and API logs of the admin API, shared by the server and the admin panel. */

export const WEBHOOK_STATES = ['pending', 'done', 'failed', 'dead', 'ignored', 'rejected'] as const;
export type WebhookState = (typeof WEBHOOK_STATES)[number];

export interface WebhookLogEntry {
  id: number;
  numberId: number | null;
  provider: string | null;
  receivedAt: string;
  state: WebhookState;
  signatureOk: boolean | null;
  attempts: number;
  eventCount: number | null;
  lastError: string | null;
  processedAt: string | null;
}

/** One call, with what lists leave out: the body and the kept headers. */
export interface WebhookLogDetail extends WebhookLogEntry {
  rawBody: string | null;
  bodyEncoding: 'utf8' | 'base64';
  headers: Record<string, string>;
}

export interface Pagination {
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
}

export namespace ListWebhookLogs {
  export interface Query {
    numberId?: number;
    state?: WebhookState;
    /** ISO times bounding `receivedAt`. */
    from?: string;
    to?: string;
    page?: number;
    pageSize?: number;
  }
  export interface Response {
    data: WebhookLogEntry[];
    meta: { pagination: Pagination };
  }
}

export namespace ReplayWebhooks {
  /** Replays the stored calls received in a time range (optionally one number's, one state's). */
  export interface Request {
    from: string;
    to: string;
    numberId?: number;
    state?: WebhookState;
  }
  export interface Response {
    data: { replayed: number };
  }
}

export interface ApiLogEntry {
  id: number;
  numberId: number | null;
  /** The number's provider (meta, gupshup, aisensy), null when the call had no number. */
  provider: string | null;
  call: string;
  method: string | null;
  url: string | null;
  status: number | null;
  latencyMs: number | null;
  errorCode: string | null;
  errorText: string | null;
  createdAt: string;
}

export namespace ListApiLogs {
  export interface Response {
    data: ApiLogEntry[];
    meta: { pagination: Pagination };
  }
}
