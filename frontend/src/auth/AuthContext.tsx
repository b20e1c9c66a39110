import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { fetchMe, lastRefreshUnreachable, logout, passwordGrant, refreshAccessToken } from '../api/client';
import { isNetworkError } from '../api/problem';
import { onSessionExpired, setAccessToken } from '../api/session';
import type { Me } from '../api/types';
import { clearProfile, loadProfile, saveProfile } from './profileCache';

export type AuthStatus = 'restoring' | 'anonymous' | 'authenticated';

interface AuthState {
  status: AuthStatus;
  me: Me | null;
  /** True when the last anonymous transition was caused by an expired session. */
  expired: boolean;
  signIn: (username: string, password: string) => Promise<Me>;
  signOut: () => Promise<void>;
  setMe: (me: Me) => void;
}

const AuthContext = createContext<AuthState | null>(null);

let bootstrap: Promise<Me | null> | null = null;

/**
 * Restores the session from the refresh cookie once per page load (StrictMode-safe). Without a
 * connection, the last profile stands in: the app (and a visit's offline draft) opens, and the first
 * API call once back online renews the token from the cookie (or ends the session).
 */
function restoreSession(): Promise<Me | null> {
  if (!bootstrap) {
    bootstrap = (async () => {
      const token = await refreshAccessToken();
      if (!token) {
        if (lastRefreshUnreachable()) return loadProfile();
        clearProfile();
        return null;
      }
      try {
        const me = await fetchMe();
        saveProfile(me);
        return me;
      } catch (err) {
        if (isNetworkError(err)) return loadProfile();
        setAccessToken(null);
        return null;
      }
    })();
  }
  return bootstrap;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<AuthStatus>('restoring');
  const [me, setMeState] = useState<Me | null>(null);
  const [expired, setExpired] = useState(false);
  const statusRef = useRef(status);
  statusRef.current = status;

  useEffect(() => {
    let cancelled = false;
    void restoreSession().then((restored) => {
      if (cancelled) return;
      setMeState(restored);
      setStatus(restored ? 'authenticated' : 'anonymous');
    });
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(
    () =>
      onSessionExpired(() => {
        if (statusRef.current !== 'authenticated') return;
        clearProfile();
        setMeState(null);
        setExpired(true);
        setStatus('anonymous');
        queryClient.clear();
      }),
    [queryClient],
  );

  const signIn = useCallback(
    async (username: string, password: string) => {
      const token = await passwordGrant(username, password);
      setAccessToken(token.access_token);
      const profile = await fetchMe();
      saveProfile(profile);
      queryClient.clear();
      queryClient.setQueryData(['me'], profile);
      setMeState(profile);
      setExpired(false);
      setStatus('authenticated');
      return profile;
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await logout();
    } catch {
      /* the cookie may already be gone; sign out locally anyway */
    }
    setAccessToken(null);
    clearProfile();
    bootstrap = null;
    queryClient.clear();
    setMeState(null);
    setExpired(false);
    setStatus('anonymous');
  }, [queryClient]);

  const setMe = useCallback((profile: Me) => {
    saveProfile(profile);
    setMeState(profile);
  }, []);

  const value = useMemo<AuthState>(
    () => ({ status, me, expired, signIn, signOut, setMe }),
    [status, me, expired, signIn, signOut, setMe],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth must be used inside <AuthProvider>');
  return ctx;
}
