/** The AI assistant (`/whatsapp/assistant/…`, `POST /whatsapp/conversations/:id/suggest`), shared by the server and the admin panel. */

export const ASSISTANT_ENGINES = ['builtin', 'openai'] as const;
export type AssistantEngine = (typeof ASSISTANT_ENGINES)[number];

export const ASSISTANT_MODES = ['off', 'suggest', 'auto'] as const;
export type AssistantMode = (typeof ASSISTANT_MODES)[number];

/** WhatsApp's limit for one text message. */
export const WHATSAPP_TEXT_LIMIT = 4096;

/** Knowledge files the server reads (a PDF needs a text layer). */
export const KNOWLEDGE_EXTENSIONS = ['.txt', '.md', '.pdf'] as const;

/** A question of a number's golden set and the knowledge sources (ids or titles) its answer must cite. */
export interface GoldenQuestion {
  question: string;
  expectedSources: string[];
}

export interface AssistantNumber {
  numberId: number;
  mode: AssistantMode;
  /** The confidence (0–1) an automatic answer needs; null: the default (0.6). */
  threshold?: number | null;
  /** The golden set the evaluation runs; auto mode needs its latest run passed. */
  golden?: GoldenQuestion[];
  /**
   * Set by the server, ignored when sent: the admin who last saved this number in auto mode. Automatic
   * answers read the conversation's CRM record with that admin's Content Manager rights as they are then.
   */
  enabledBy?: number | null;
}

/** The settings as the server returns them: the API key is never sent back, only whether one is set. */
export interface AssistantSettings {
  engine: AssistantEngine;
  baseUrl: string | null;
  model: string | null;
  apiKeySet: boolean;
  numbers: AssistantNumber[];
  /** Phones and e-mails are replaced before a call leaves the server. */
  redact: boolean;
  /** Engine calls allowed per conversation; null: no limit. */
  budgetPerConversation: number | null;
}

export namespace GetAssistantSettings {
  export interface Response {
    data: AssistantSettings;
  }
}

export namespace SaveAssistantSettings {
  /** `apiKey`: a new key; `null` removes it; left out keeps the stored one. */
  export interface Request {
    engine: AssistantEngine;
    baseUrl?: string | null;
    model?: string | null;
    apiKey?: string | null;
    numbers: AssistantNumber[];
    redact?: boolean;
    budgetPerConversation?: number | null;
  }
  export type Response = GetAssistantSettings.Response;
}

export interface EvaluatedQuestion {
  question: string;
  expectedSources: string[];
  /** Titles of the sources the answer cites. */
  citedSources: string[];
  passed: boolean;
  answer: string;
  confidence: number;
  grounded: boolean;
  /** Why the engine handed off instead of answering. */
  handoff?: string | null;
}

/** A number's golden set run through the engine that suggests and answers automatically. */
export interface Evaluation {
  numberId: number;
  passed: boolean;
  passedCount: number;
  total: number;
  at: string;
  results: EvaluatedQuestion[];
  /** The engine, model, threshold, golden set or knowledge changed since it ran: auto mode waits for a new run. */
  stale: boolean;
}

export namespace Evaluate {
  export interface Request {
    numberId: number;
  }
  export interface Response {
    data: Evaluation;
  }
}

export namespace ListEvaluations {
  /** The latest evaluation of each number. */
  export interface Response {
    data: Evaluation[];
  }
}

/** What the assistant did on one number. */
export interface AssistantFigures {
  numberId: number;
  accepted: number;
  edited: number;
  rejected: number;
  pending: number;
  /** Answers sent automatically. */
  automatic: number;
  /** Drafts that handed the conversation to a person (automatic or not). */
  handoffs: number;
  /** From the customer's message to the automatic answer or suggestion; null without any. */
  medianFirstAnswerMs: number | null;
  tokens: number;
}

export namespace GetFigures {
  export interface Response {
    data: AssistantFigures[];
  }
}

export interface KnowledgeSource {
  id: number;
  title: string;
  /** `text`: typed in the admin or sent to the API; `file`: an uploaded .txt, .md or .pdf file; `collection`: a host collection type's records. */
  kind: 'text' | 'file' | 'collection';
  filename: string | null;
  chunks: number;
  createdAt: string;
  /** Set for a collection source. */
  collection?: CollectionKnowledge | null;
  /** Why the source is not indexed now (its saver lost the right to read the collection). */
  error?: string | null;
  /** The numbers whose assistant answers from it; empty: every number. */
  numberIds: number[];
}

// --- Knowledge from a host collection type (assistant-knowledge) ---

/**
 * A host collection type as a knowledge source, read with its saver's Content Manager rights: one
 * section per record, headed by `titleField`, holding `fields`. `filters`: Strapi filters on
 * readable fields of the type, keeping only the records to index.
 */
export interface CollectionKnowledge {
  contentType: string;
  titleField: string;
  fields: string[];
  filters?: Record<string, unknown> | null;
}

export namespace AddCollectionKnowledge {
  export type Request = CollectionKnowledge & { numberIds?: number[] };
  export interface Response {
    data: KnowledgeSource;
  }
}

// --- end of knowledge from a host collection type ---

export namespace ListKnowledge {
  export interface Response {
    data: KnowledgeSource[];
    meta: { total: number };
  }
}

export namespace AddKnowledge {
  export interface Request {
    title: string;
    text: string;
    /** The numbers that answer from it; left out or empty: every number. */
    numberIds?: number[];
  }
  export interface Response {
    data: KnowledgeSource;
  }
}

/** Multipart: the files, and optionally a `numberIds` field (`1,2` or `[1,2]`) for the numbers that answer from them. */
export namespace UploadKnowledge {
  export interface Response {
    data: KnowledgeSource[];
  }
}

export namespace ReindexKnowledge {
  export interface Response {
    data: { sources: number; chunks: number };
  }
}

export interface Citation {
  sourceId: number;
  title: string;
  excerpt: string;
}

/** An approved template proposed instead of free text outside the 24-hour window. */
export interface ProposedTemplate {
  name: string;
  language: string;
  body: string;
  params: { body: { type: 'text'; text: string }[] };
}

export interface Suggestion {
  /** The logged suggestion row, for reporting its outcome. */
  id: number;
  text: string;
  citations: Citation[];
  /** 0–1. */
  confidence: number;
  /** False when a number, price or date of the text is in neither the sources nor the CRM record. */
  grounded: boolean;
  /** Set when the engine (or a timeout, an error, the budget) says a person should answer. */
  handoff?: { reason: string };
  /** Set outside the 24-hour window: free text cannot be sent, this template can. */
  template?: ProposedTemplate;
}

export namespace Suggest {
  export interface Response {
    data: Suggestion;
  }
}

export const SUGGESTION_OUTCOMES = ['accepted', 'edited', 'rejected'] as const;
export type SuggestionOutcome = (typeof SUGGESTION_OUTCOMES)[number];

export namespace RecordOutcome {
  export interface Request {
    outcome: SuggestionOutcome;
  }
  export interface Response {
    data: { id: number; outcome: SuggestionOutcome };
  }
}
