/** Text triggers: whether a customer's normalised text matches a bot's trigger, and why (one line). */
import { ASKS_HUMAN_KEYWORDS, type BotTrigger } from '../../contracts/bots';
import { normalizeText } from '../../contracts/text';

export interface TextMatch {
  matched: boolean;
  why: string;
}

const words = (list: readonly string[] | undefined) => (list ?? []).map(normalizeText).filter(Boolean);
/** Whole words: "hi" is in "hi there" but not in "this". */
const hasWords = (text: string, phrase: string) => ` ${text} `.includes(` ${phrase} `);

/** Patterns see only this much of a message, so even a slow one has bounded input. */
const REGEX_INPUT = 500;

export const matchText = (trigger: BotTrigger, text: string): TextMatch => {
  const said = normalizeText(text);
  const keywords = words(trigger.keywords);
  switch (trigger.type) {
    case 'exact': {
      const hit = keywords.find((k) => k === said);
      return hit ? { matched: true, why: `the message is exactly '${hit}'` } : { matched: false, why: 'the message is not exactly one of the keywords' };
    }
    case 'starts-with': {
      const hit = keywords.find((k) => said === k || said.startsWith(`${k} `));
      return hit ? { matched: true, why: `the message starts with '${hit}'` } : { matched: false, why: 'the message starts with none of the keywords' };
    }
    case 'contains': {
      const hit = keywords.find((k) => hasWords(said, k));
      return hit ? { matched: true, why: `the message contains '${hit}'` } : { matched: false, why: 'the message contains none of the keywords' };
    }
    case 'keywords': {
      for (const raw of trigger.keywords ?? []) {
        const k = normalizeText(raw);
        if (k && hasWords(said, k)) return { matched: true, why: `the message contains keyword '${k}'` };
        const synonym = words(trigger.synonyms?.[raw]).find((s) => hasWords(said, s));
        if (synonym) return { matched: true, why: `'${synonym}' is a synonym of keyword '${k}'` };
      }
      return { matched: false, why: 'the message contains no keyword or synonym' };
    }
    case 'regex': {
      try {
        const hit = new RegExp(trigger.pattern ?? '', 'iu').exec(said.slice(0, REGEX_INPUT));
        return hit ? { matched: true, why: `the pattern /${trigger.pattern}/ matches '${hit[0]}'` } : { matched: false, why: `the pattern /${trigger.pattern}/ does not match` };
      } catch {
        return { matched: false, why: 'the pattern is not a valid regular expression' };
      }
    }
    case 'asks-human': {
      const hit = (keywords.length ? keywords : words(ASKS_HUMAN_KEYWORDS)).find((k) => hasWords(said, k));
      return hit ? { matched: true, why: `the customer asks for a person ('${hit}')` } : { matched: false, why: 'the customer does not ask for a person' };
    }
    default:
      return { matched: false, why: `${trigger.type} is not a text trigger` };
  }
};
