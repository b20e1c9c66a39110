// In-memory access token store (never persisted: no localStorage/sessionStorage).
// The refresh token lives in the httpOnly `ocop_refresh` cookie set by the server.

let accessToken: string | null = null;
type Listener = () => void;
const expiredListeners = new Set<Listener>();

export function getAccessToken(): string | null {
  return accessToken;
}

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

/** Subscribe to "the session cannot be restored" events (refresh failed after a 401). */
export function onSessionExpired(listener: Listener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

export function emitSessionExpired(): void {
  accessToken = null;
  for (const l of expiredListeners) l();
}
