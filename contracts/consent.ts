import { normalizeText } from './text';

/** Words that opt a customer out of business-initiated messages (compared after `normalizeText`). */
export const DEFAULT_OPT_OUT_KEYWORDS = ['stop', 'stopall', 'unsubscribe', 'opt out', 'optout', 'cancel', 'end', 'quit', 'baja', 'alto', 'parar', 'sair', 'arret', 'desabonner', 'abmelden'] as const;
/** Words that opt them back in. */
export const DEFAULT_OPT_IN_KEYWORDS = ['start', 'unstop', 'subscribe', 'opt in', 'optin', 'alta'] as const;

/** Whether a whole message is an opt-out or opt-in keyword; anything longer is an ordinary message. */
export const consentKeyword = (
  text: string,
  keywords: { optOut: readonly string[]; optIn: readonly string[] } = { optOut: DEFAULT_OPT_OUT_KEYWORDS, optIn: DEFAULT_OPT_IN_KEYWORDS }
): 'opt-out' | 'opt-in' | null => {
  const said = normalizeText(text);
  if (!said) return null;
  if (keywords.optOut.some((k) => normalizeText(k) === said)) return 'opt-out';
  if (keywords.optIn.some((k) => normalizeText(k) === said)) return 'opt-in';
  return null;
};
