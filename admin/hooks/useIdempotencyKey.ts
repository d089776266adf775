import * as React from 'react';

const newKey = () =>
  typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;

/**
 * One key per thing the user sends: sending the same body again after a failure (a timeout whose
 * request the server did take) reuses the key, so the server queues it once; anything else gets a
 * new key. `settled()` after a success, so the next identical text is a new message.
 */
export const useIdempotencyKey = () => {
  const last = React.useRef<{ body: string; key: string } | null>(null);
  const keyFor = React.useCallback((body: unknown) => {
    const json = JSON.stringify(body);
    if (last.current?.body !== json) last.current = { body: json, key: newKey() };
    return last.current.key;
  }, []);
  const settled = React.useCallback(() => {
    last.current = null;
  }, []);
  return { keyFor, settled };
};
