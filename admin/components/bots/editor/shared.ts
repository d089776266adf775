import type { FormErrors } from '../../../hooks/useFormState';
import type { BotFormValues } from '../form';

/** What every section of the bot editor gets: the values, the server's errors, and how to change a value. */
export interface BotSectionProps {
  values: BotFormValues;
  errors: FormErrors;
  /** Sets one value and clears the error of the field the server named (`errorKey`). */
  set: <K extends keyof BotFormValues>(key: K, value: BotFormValues[K], errorKey: string) => void;
}

/** An input's change handler for a text value. */
export const onText = (apply: (value: string) => void) => (e: { target: { value: string } }) => apply(e.target.value);
