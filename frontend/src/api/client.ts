import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { ensureOk, unwrap } from './problem';
import { emitSessionExpired, getAccessToken, setAccessToken } from './session';
import type { Me, TokenResponse } from './types';

const baseUrl = '';

/**
 * Client without the auth middleware, used for the auth endpoints themselves
 * (token, refresh, logout) so that a failing refresh never recurses.
 */
export const authClient = createClient<paths>({ baseUrl, credentials: 'include' });

let refreshInFlight: Promise<string | null> | null = null;
let refreshUnreachable = false;

/** Whether the last refresh failed because the server could not be reached (offline), not because it refused. */
export function lastRefreshUnreachable(): boolean {
  return refreshUnreachable;
}

/**
 * Exchanges the refresh cookie for a new access token. Concurrent callers share
 * one request (the server rotates refresh tokens, so parallel refreshes with the
 * same cookie must be avoided). Resolves to the new token, or null.
 */
export function refreshAccessToken(): Promise<string | null> {
  if (!refreshInFlight) {
    refreshInFlight = (async () => {
      try {
        const res = await authClient.POST('/api/v1/auth/refresh', { body: {} });
        refreshUnreachable = false;
        if (!res.response.ok || !res.data) {
          setAccessToken(null);
          return null;
        }
        setAccessToken(res.data.access_token);
        return res.data.access_token;
      } catch {
        // network failure: keep whatever we had, report "no new token"
        refreshUnreachable = true;
        return null;
      } finally {
        refreshInFlight = null;
      }
    })();
  }
  return refreshInFlight;
}

const AUTH_PATHS = ['/api/v1/auth/token', '/api/v1/auth/refresh', '/api/v1/auth/logout'];
const pending = new Map<string, Request>();

/**
 * Adds `Authorization: Bearer <token>`; on a 401 tries one refresh and retries the
 * request once with the new token; if that is impossible, signals session expiry.
 */
export const authMiddleware: Middleware = {
  onRequest({ request, id, schemaPath }) {
    const token = getAccessToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    if (!AUTH_PATHS.includes(schemaPath)) pending.set(id, request.clone());
    return request;
  },
  async onResponse({ response, id, schemaPath }) {
    const original = pending.get(id);
    pending.delete(id);
    if (response.status !== 401 || AUTH_PATHS.includes(schemaPath) || !original) return response;
    const token = await refreshAccessToken();
    if (!token) {
      emitSessionExpired();
      return response;
    }
    const retry = new Request(original, { headers: new Headers(original.headers) });
    retry.headers.set('Authorization', `Bearer ${token}`);
    const second = await fetch(retry);
    if (second.status === 401) emitSessionExpired();
    return second;
  },
  onError({ id }) {
    pending.delete(id);
  },
};

/** The typed API client used by the application. */
export const api = createClient<paths>({ baseUrl, credentials: 'same-origin' });
api.use(authMiddleware);

type TokenForm = NonNullable<paths['/api/v1/auth/token']['post']['requestBody']>['content']['application/x-www-form-urlencoded'];

export async function passwordGrant(username: string, password: string): Promise<TokenResponse> {
  const result = await authClient.POST('/api/v1/auth/token', {
    body: { grant_type: 'password', username, password } as TokenForm,
    bodySerializer: (body) => new URLSearchParams(body as Record<string, string>).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return unwrap(result);
}

export async function logout(): Promise<void> {
  const token = getAccessToken();
  try {
    const result = await authClient.POST('/api/v1/auth/logout', {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
    ensureOk(result);
  } finally {
    setAccessToken(null);
  }
}

export async function fetchMe(): Promise<Me> {
  return unwrap(await api.GET('/api/v1/me'));
}
