import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { Agency } from '../api/types';

/** Every agency, past and present (one request; the province has under two hundred). */
export function useAgencyList() {
  return useQuery({
    queryKey: ['agency-list'],
    queryFn: async (): Promise<Agency[]> =>
      unwrap(await api.GET('/api/v1/agencies', { params: { query: { limit: 200 } } })).items,
    staleTime: 5 * 60_000,
  });
}

/** Agency names by id: the short name (tables) or the full name (documents). */
export function useAgencyNames(form: 'short' | 'full' = 'short'): Map<number, string> {
  const { data } = useAgencyList();
  return new Map((data ?? []).map((a) => [a.id, form === 'short' ? a.short_name || a.name : a.name]));
}
