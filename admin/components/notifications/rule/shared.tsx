import { SingleSelect, SingleSelectOption } from '@strapi/design-system';
import type { FormErrors } from '../../../hooks/useFormState';
import type { RuleFormValues } from '../form';

/** What every section of the rule editor gets: the form's values and errors, and how to change them. */
export interface RuleSectionProps {
  values: RuleFormValues;
  errors: FormErrors;
  /** Sets one value and clears the error named `errorKey` (the value's own by default). */
  set: <K extends keyof RuleFormValues>(key: K, value: RuleFormValues[K], errorKey?: string) => void;
  /** Changes several values at once (a new content type resets what depended on it). */
  change: (patch: Partial<RuleFormValues>, errorKey: string) => void;
}

/** A select of field paths that keeps a value the list does not offer (a deeper path, a renamed field). */
export const PathSelect = ({ value, paths, onChange, placeholder, label }: { value: string; paths: string[]; onChange: (v: string) => void; placeholder: string; label?: string }) => {
  const options = value && !paths.includes(value) ? [value, ...paths] : paths;
  return (
    <SingleSelect value={value || null} onChange={(v) => onChange(String(v))} placeholder={placeholder} aria-label={label}>
      {options.map((p) => (
        <SingleSelectOption key={p} value={p}>
          {p}
        </SingleSelectOption>
      ))}
    </SingleSelect>
  );
};
