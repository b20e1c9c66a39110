// The signed-in user's profile, kept in the browser so that a page reloaded without a connection
// (a tablet on site) can still show the visit being recorded. Never the tokens: the access token
// stays in memory and the refresh token in its httpOnly cookie. Cleared on sign-out and expiry.
import type { Me } from '../api/types';

const KEY = 'ocop.profile';

export function saveProfile(me: Me): void {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(me));
  } catch {
    /* storage full or disabled: offline reloads will ask to sign in */
  }
}

export function loadProfile(): Me | null {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    return raw ? (JSON.parse(raw) as Me) : null;
  } catch {
    return null;
  }
}

export function clearProfile(): void {
  try {
    globalThis.localStorage?.removeItem(KEY);
  } catch {
    /* ignore */
  }
}
