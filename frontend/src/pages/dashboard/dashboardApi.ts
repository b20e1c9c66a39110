import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { Dashboard, DashboardQuery } from './model';

export const dashboardKeys = { all: ['dashboard'] as const, one: (q: DashboardQuery) => ['dashboard', q] as const };

export async function getDashboard(query: DashboardQuery): Promise<Dashboard> {
  return unwrap(await api.GET('/api/v1/dashboard', { params: { query } }));
}

/** The figures for a filter; the previous figures stay on screen while a new filter loads. */
export function useDashboard(query: DashboardQuery, enabled: boolean) {
  return useQuery({
    queryKey: dashboardKeys.one(query),
    queryFn: () => getDashboard(query),
    enabled,
    placeholderData: keepPreviousData,
  });
}
