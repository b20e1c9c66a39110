// The notification bell's calls: the unread count (polled), the list, marking read.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { paths } from '../api/schema';
import type { CursorPage } from '../lib/useCursorList';

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type NotificationPage = JsonOf<paths['/api/v1/notifications']['get']['responses'][200]>;
export type Notification = NotificationPage['items'][number];

/** How often the unread count is asked (also on returning to the window). */
export const POLL_MS = 60_000;
export const NOTIFICATIONS_PAGE = 20;

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread'] as const,
  list: ['notifications', 'list'] as const,
};

export async function unreadCount(): Promise<number> {
  return unwrap(await api.GET('/api/v1/notifications/unread-count')).unread;
}

/** The unread count, every minute and whenever the window gets the focus back. */
export function useUnreadCount(enabled = true) {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: unreadCount,
    enabled,
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: true,
    staleTime: 10_000,
  });
}

export async function listNotifications(cursor: string | undefined): Promise<CursorPage<Notification>> {
  return unwrap(
    await api.GET('/api/v1/notifications', { params: { query: { limit: NOTIFICATIONS_PAGE, cursor } } }),
  );
}

export async function markRead(id: number): Promise<Notification> {
  return unwrap(
    await api.POST('/api/v1/notifications/{notification_id}/read', { params: { path: { notification_id: id } } }),
  );
}

export async function markAllRead(): Promise<number> {
  return unwrap(await api.POST('/api/v1/notifications/read-all')).updated;
}

/** Reloads the count and the list after a change. */
export function useRefreshNotifications() {
  const queryClient = useQueryClient();
  return useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
  }, [queryClient]);
}
