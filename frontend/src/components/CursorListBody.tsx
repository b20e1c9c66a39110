import type { ReactNode } from 'react';
import { Table, VisuallyHidden, type TableProps } from '@mantine/core';
import { ErrorAlert } from './ErrorAlert';
import { EmptyRows, LoadMore, PageLoader } from './States';

/** The parts of `useCursorList`'s result the list body needs. */
export interface CursorListState<T> {
  items: T[];
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** A header cell: its text, or the text (or only an `aria-label`) and alignment. */
export type CursorListColumn = string | { label?: string; ariaLabel?: string; ta?: 'right' };

const DEFAULT_TABLE: TableProps = { striped: true, highlightOnHover: true, verticalSpacing: 'xs' };

interface Props<T> {
  list: CursorListState<T>;
  /** Whether any filter is set (chooses the "no match" text of the empty state). */
  filtered?: boolean;
  /** Shown instead of the default empty state when there are no rows. */
  empty?: ReactNode;
  minWidth: number;
  testId: string;
  /** Props of the `Table`; replace the default `striped highlightOnHover verticalSpacing="xs"`. */
  tableProps?: TableProps;
  /** The header cells, in order. */
  columns: CursorListColumn[];
  /** One item's row(s), with its `key`. */
  renderRow: (item: T) => ReactNode;
}

/** Loader / error / empty state / table with "load more" for a cursor-paginated list. */
export function CursorListBody<T>({ list, filtered, empty, minWidth, testId, tableProps, columns, renderRow }: Props<T>) {
  if (list.isPending) return <PageLoader />;
  if (list.isError) return <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />;
  if (list.items.length === 0) return empty ?? <EmptyRows filtered={filtered} />;
  return (
    <>
      <Table.ScrollContainer minWidth={minWidth}>
        <Table {...(tableProps ?? DEFAULT_TABLE)} data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c, i) =>
                typeof c === 'string' ? (
                  <Table.Th key={i}>{c}</Table.Th>
                ) : (
                  <Table.Th key={i} ta={c.ta} aria-label={c.label ? c.ariaLabel : undefined}>
                    {/* a column without a visible title (the buttons) still has one for screen readers */}
                    {c.label ?? (c.ariaLabel && <VisuallyHidden>{c.ariaLabel}</VisuallyHidden>)}
                  </Table.Th>
                ),
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{list.items.map((item) => renderRow(item))}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <LoadMore
        count={list.items.length}
        hasMore={Boolean(list.hasNextPage)}
        loading={list.isFetchingNextPage}
        onLoadMore={() => void list.fetchNextPage()}
      />
    </>
  );
}
