/** What a campaign does about each provider failure, and what it tells the admin (reference: Meta error codes). */

/** Meta's "healthy ecosystem" refusal: tried again no sooner than a day later, a limited number of times. */
export const ECOSYSTEM_CODE = '131049';
export const ECOSYSTEM_DELAY_MS = 24 * 60 * 60_000;

const BY_CODE: Record<string, string> = {
  '131049': 'WhatsApp chose not to deliver it to keep engagement healthy (per-user marketing limit); it is tried again no sooner than 24 hours later',
  '131050': 'The customer stopped marketing messages from this business; not retried',
  '131026': 'Undeliverable: the phone is not on WhatsApp, or the customer cannot receive it; not retried',
  '131047': 'More than 24 hours since the customer last wrote: only templates can be sent; not retried',
  '130429': 'The number’s throughput limit was reached; retried with backoff',
  '131056': 'Too many messages to this customer in a short time; retried with backoff',
};

const BY_CLASS: Record<string, string> = {
  'template-problem': 'The template was refused (missing, not approved, paused, disabled or wrong parameters); fix the template, not retried',
  'invalid-recipient': 'Undeliverable to this phone; not retried',
  'opted-out': 'The customer stopped marketing messages from this business; they are opted out, not retried',
  'window-closed': 'The customer’s 24-hour window is closed; not retried',
  'auth-problem': 'The provider refused the number’s credentials; enter new ones, then retry failed',
  'rate-limited': 'Rate limited by the provider after every retry; retry failed later',
  'pair-rate-limited': 'Too many messages to this customer after every retry; retry failed later',
  retryable: 'The provider failed temporarily after every retry; retry failed later',
  'maybe-sent': 'No answer from the provider: it may have been sent; not resent automatically, check with the customer before sending again',
};

/** Classes a "retry failed" sends again: the failure said nothing about this customer or template. */
const RETRYABLE_CLASSES = new Set(['retryable', 'rate-limited', 'pair-rate-limited', 'auth-problem']);

export const isRetryable = (code: string | null, cls: string | null) => code === ECOSYSTEM_CODE || (cls !== null ? RETRYABLE_CLASSES.has(cls) : code === null);

/** The plain-language reason and what to do, with the provider's own text after it. */
export const adviceFor = (code: string | null, cls: string | null, text: string | null) => {
  const plain = (code && BY_CODE[code]) ?? (code && /^132\d{3}$/.test(code) ? BY_CLASS['template-problem'] : null) ?? (cls && BY_CLASS[cls]) ?? null;
  if (!plain) return text;
  return text && !plain.includes(text) ? `${plain} (${text})` : plain;
};
