import type { WebhookErrorObject } from './types';
import { fbtraceId } from './util';

/** Titles and default details per Meta error code (meta-cloud-api.md §7.2; fixtures). */
export const META_ERRORS: Record<number, { title: string; details: string; http: number }> = {
  2: { title: 'Service temporarily unavailable', details: 'Service temporarily unavailable.', http: 503 },
  100: { title: 'Invalid parameter', details: 'Invalid parameter.', http: 400 },
  130429: { title: 'Rate limit hit', details: 'Cloud API message throughput has been reached.', http: 400 },
  131000: { title: 'Something went wrong', details: 'Something went wrong. Please try again later.', http: 500 },
  131008: { title: 'Required parameter is missing', details: 'A required parameter is missing.', http: 400 },
  131009: { title: 'Parameter value is not valid', details: 'One or more parameter values are invalid.', http: 400 },
  131026: { title: 'Message undeliverable', details: 'Message Undeliverable.', http: 400 },
  131047: {
    title: 'Re-engagement message',
    details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    http: 400,
  },
  131051: { title: 'Unsupported message type', details: 'Message type is not currently supported.', http: 400 },
  131053: { title: 'Media upload error', details: 'Unable to upload the media used in the message.', http: 400 },
  131056: {
    title: '(Business Account, Consumer Account) pair rate limit hit',
    details: 'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
    http: 400,
  },
  132000: { title: 'Number of parameters does not match the expected number of params', details: 'The number of parameters does not match.', http: 400 },
  132001: { title: 'Template name does not exist in the translation', details: 'Template does not exist in this language.', http: 404 },
  132012: { title: 'Parameter format does not match format in the created template', details: 'Parameter format mismatch.', http: 400 },
  132015: { title: 'Template is Paused', details: 'Template is paused due to low quality so it cannot be sent in a template message.', http: 400 },
  132016: { title: 'Template is Disabled', details: 'Template has been paused too many times due to low quality and is now permanently disabled.', http: 400 },
};

export const ERROR_HREF = 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/';

export interface GraphError {
  http: number;
  body: { error: Record<string, unknown> };
  headers?: Record<string, string>;
}

/** Synchronous Graph error: `{ error: { message: "(#code) Title", type, code, error_data, fbtrace_id } }`. */
export const graphError = (code: number, details?: string, http?: number): GraphError => {
  const e = META_ERRORS[code] ?? { title: 'Invalid parameter', details: 'Invalid parameter.', http: 400 };
  return {
    http: http ?? e.http,
    body: {
      error: {
        message: `(#${code}) ${e.title}`,
        type: 'OAuthException',
        code,
        error_data: { messaging_product: 'whatsapp', details: details ?? e.details },
        fbtrace_id: fbtraceId(),
      },
    },
  };
};

const WWW_AUTH = (why: string) => ({ 'www-authenticate': `OAuth "Facebook Platform" "invalid_token" "${why}"` });

/** Code 190 OAuthException (HTTP 401). */
export const tokenError = (kind: 'missing' | 'invalid' | 'revoked'): GraphError => {
  const message =
    kind === 'missing'
      ? 'An active access token must be used to query information about the current user.'
      : kind === 'revoked'
        ? 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.'
        : 'Invalid OAuth access token - Cannot parse access token';
  const error: Record<string, unknown> = { message, type: 'OAuthException', code: 190 };
  if (kind === 'revoked') error.error_subcode = 460;
  error.fbtrace_id = fbtraceId();
  return { http: 401, body: { error }, headers: WWW_AUTH(message) };
};

/** Meta's answer for an object id that does not exist or the token cannot see. */
export const unsupportedRequest = (method: 'get' | 'post' | 'delete', id: string): GraphError => ({
  http: 400,
  body: {
    error: {
      message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
      fbtrace_id: fbtraceId(),
    },
  },
});

/** 500/503 for the flap fault. */
export const transientError = (status: 500 | 503): GraphError => ({
  http: status,
  body: {
    error: {
      message: status === 503 ? '(#2) Service temporarily unavailable' : 'An unexpected error has occurred. Please retry your request later.',
      type: 'OAuthException',
      code: status === 503 ? 2 : 1,
      is_transient: true,
      fbtrace_id: fbtraceId(),
    },
  },
});

/** Error object inside webhooks (statuses[].errors[], value.errors[]). */
export const webhookError = (code: number, details?: string): WebhookErrorObject => {
  const e = META_ERRORS[code] ?? { title: 'Error', details: 'Error.', http: 400 };
  return { code, title: e.title, message: e.title, error_data: { details: details ?? e.details }, href: ERROR_HREF };
};
