import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';

export interface CursorPage<T> {
  items: T[];
  next_cursor?: string | null;
}

export const PAGE_SIZE = 50;

/** Cursor-paginated list ("load more") backed by TanStack Query. */
export function useCursorList<T>(key: QueryKey, fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>) {
  const query = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return { ...query, items };
}
