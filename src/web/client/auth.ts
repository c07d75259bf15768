/**
 * The signed-in token: pasted once into the sign-in dialog, kept in this tab's sessionStorage
 * (gone when the tab closes), sent only as `Authorization: Bearer` by api.ts, never put in a
 * URL. Components re-render on sign-in/out through useToken().
 */
import { useEffect, useState } from 'preact/hooks';

const KEY = 'astroarchive.token';
const listeners = new Set<() => void>();

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null; // storage disabled: anonymous
  }
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l();
}

/** The current token (null: anonymous); the caller re-renders when it changes. */
export function useToken(): string | null {
  const [token, set] = useState(getToken);
  useEffect(() => {
    const l = () => set(getToken());
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return token;
}
