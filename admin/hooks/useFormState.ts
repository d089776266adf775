import * as React from 'react';

export type FormErrors = Partial<Record<string, string>>;

/**
 * A modal form's values and the server's errors by field: changing a field clears its error (and
 * the form-wide one); `rejected` counts refused saves, so focus moves then and not while typing.
 */
export const useFormState = <V extends object>(initial: V | (() => V)) => {
  const [values, setValues] = React.useState<V>(initial);
  const [errors, setErrorsState] = React.useState<FormErrors>({});
  const [rejected, setRejected] = React.useState(0);

  const clearError = React.useCallback(
    (key: string) =>
      setErrorsState((prev) => {
        if (!prev[key] && !prev.form) return prev;
        const { [key]: _removed, form: _form, ...rest } = prev;
        return rest;
      }),
    []
  );
  const set = <K extends keyof V>(key: K, value: V[K], errorKey: string = String(key)) => {
    setValues((prev) => ({ ...prev, [key]: value }));
    clearError(errorKey);
  };
  /** The server refused the save: its errors beside their fields. */
  const reject = React.useCallback((next: FormErrors) => {
    setErrorsState(next);
    setRejected((n) => n + 1);
  }, []);
  return { values, setValues, errors, setErrors: setErrorsState, set, clearError, reject, rejected };
};
