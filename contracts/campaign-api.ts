/**
 * The campaigns admin API's requests and answers, endpoint by endpoint (the shapes they carry are in
 * contracts/campaigns.ts), shared by the server and the admin panel.
 */
import type { Campaign, CampaignFunnel, CampaignInput, CampaignOccurrence, CampaignRecipient, CampaignState, PreflightResult, RecipientStatus, TimelineBucket } from './campaigns';

export namespace ListCampaigns {
  /** `GET /whatsapp/campaigns?state=&numberId=&page=&pageSize=` */
  export interface Query {
    state?: CampaignState;
    numberId?: number;
    page?: number;
    pageSize?: number;
  }
  export interface Response {
    data: Campaign[];
    meta: { pagination: { page: number; pageSize: number; total: number } };
  }
}

export namespace GetCampaign {
  /** `GET /whatsapp/campaigns/:id`: the campaign with its funnel and chart. */
  export interface Response {
    data: Campaign & { funnel: CampaignFunnel; timeline: { bucketSeconds: number; buckets: TimelineBucket[] }; occurrences: CampaignOccurrence[] };
  }
}

export namespace CreateCampaign {
  export type Request = CampaignInput;
  export interface Response {
    data: Campaign;
  }
}

export namespace UpdateCampaign {
  export type Request = Partial<CampaignInput>;
  export interface Response {
    data: Campaign;
  }
}

export namespace Preflight {
  export interface Response {
    data: PreflightResult;
  }
}

export namespace LaunchCampaign {
  export interface Request {
    /** Launch past the daily budget, spreading the sends over days (else such a launch is refused). */
    spreadOverDays?: boolean;
  }
  export interface Response {
    data: Campaign;
    meta: { preflight: PreflightResult };
  }
}

export namespace CampaignAction {
  /** `pause`, `resume`, `cancel`: the campaign after the change. */
  export interface Request {
    reason?: string;
  }
  export interface Response {
    data: Campaign;
  }
}

export namespace TestSend {
  /** Sent now, with the first audience record's values (or the fallbacks); not counted in the campaign's figures. */
  export interface Request {
    phones: string[];
  }
  export interface Response {
    data: { phone: string; messageId: number | null; error: string | null }[];
  }
}

export namespace RetryFailed {
  export interface Response {
    /** Recipients queued again (only those whose failure is retryable). */
    data: { retried: number };
  }
}

export namespace ListRecipients {
  /** `GET /whatsapp/campaigns/:id/recipients?status=&occurrenceId=&page=&pageSize=` (latest occurrence by default). */
  export interface Query {
    status?: RecipientStatus;
    occurrenceId?: number;
    page?: number;
    pageSize?: number;
  }
  export interface Response {
    data: CampaignRecipient[];
    meta: { pagination: { page: number; pageSize: number; total: number } };
  }
}

/** `GET /whatsapp/campaigns/:id/recipients.csv`: these columns, in this order. */
export const RECIPIENTS_CSV_COLUMNS = ['phone', 'status', 'reason', 'errorCode', 'errorClass', 'queuedAt', 'sentAt', 'deliveredAt', 'readAt', 'repliedAt', 'failedAt', 'occurrenceId'] as const;
