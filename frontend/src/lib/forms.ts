import { useCallback, useState } from 'react';
import { ApiError, splitValidationErrors } from '../api/problem';

/**
 * State for server-side form errors: 422 `errors[]` whose `loc` matches a field
 * go next to that field; everything else goes into an alert.
 */
export function useServerErrors<F extends string>(fields: readonly F[]) {
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<F, string>>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);

  const reset = useCallback(() => {
    setFieldErrors({});
    setGeneral([]);
    setError(null);
  }, []);

  const capture = (err: unknown) => {
    if (err instanceof ApiError && err.status === 422 && Array.isArray(err.problem?.errors)) {
      const split = splitValidationErrors(err, fields);
      setFieldErrors(split.fields as Partial<Record<F, string>>);
      setGeneral(split.general);
      setError(split.general.length ? err : null);
    } else {
      setFieldErrors({});
      setGeneral([]);
      setError(err);
    }
  };

  return { fieldErrors, setFieldErrors, general, error, reset, capture };
}

export const MIN_PASSWORD = 10;

/** Empty strings become null (optional text fields). */
export function blankToNull(value: string): string | null {
  const v = value.trim();
  return v ? v : null;
}
