// The reference registers whose rows are in force between two dates (agencies, administrative units):
// a search box, one option filter, an "in force on" date, and a cursor-paged table ending in a status.
import { useState, type ReactNode } from 'react';
import { Badge, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { formatDate, inForce } from '../lib/format';
import { PAGE_SIZE, useCursorList, type CursorPage } from '../lib/useCursorList';
import { CursorListBody } from './CursorListBody';
import { ListFilters } from './ListFilters';

export interface DatedRow {
  id: number;
  code: string;
  name: string;
  valid_from: string | null;
  valid_to?: string | null;
}

/** The filters the server is sent: the search text, the option (under `option.param`) and the date. */
export type DatedQuery = { limit: number; cursor?: string; q?: string; active_on?: string } & Record<string, unknown>;

interface Props<T extends DatedRow> {
  title: string;
  searchPlaceholder: string;
  queryKey: string;
  fetchPage: (query: DatedQuery) => Promise<CursorPage<T>>;
  /** The option filter: its query parameter, label, values and their labels. */
  option: {
    param: string;
    label: string;
    values: readonly string[];
    labelOf: (v: string) => string;
    testId: string;
    width: number;
  };
  table: { testId: string; minWidth: number };
  /** The columns between the name and the dates, and after the dates (before the status). */
  middle: { header: string; cell: (row: T) => ReactNode }[];
  after?: { header: string; cell: (row: T) => ReactNode }[];
  /** What is shown under the name (e.g. the parent unit). */
  nameNote?: (row: T, rows: T[]) => ReactNode;
}

export function InForceBadge({ from, to }: { from: string | null; to?: string | null }) {
  const { t } = useTranslation();
  return inForce(from, to) ? (
    <Badge color="green" variant="light" tt="none">
      {t('common.inForce')}
    </Badge>
  ) : (
    <Badge color="gray" variant="light" tt="none">
      {t('common.expired')}
    </Badge>
  );
}

export function DatedRegister<T extends DatedRow>({
  title,
  searchPlaceholder,
  queryKey,
  fetchPage,
  option,
  table,
  middle,
  after = [],
  nameNote,
}: Props<T>) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [choice, setChoice] = useState<string | null>(null);
  const [activeOn, setActiveOn] = useState('');

  const filters = { q: q || undefined, [option.param]: choice ?? undefined, active_on: activeOn || undefined };
  const list = useCursorList<T>([queryKey, filters], (cursor) => fetchPage({ limit: PAGE_SIZE, cursor, ...filters }));
  const filtered = Boolean(q || choice || activeOn);

  return (
    <Stack gap="md">
      <Title order={2}>{title}</Title>
      <ListFilters
        search={search}
        onSearch={setSearch}
        placeholder={searchPlaceholder}
        onClear={
          filtered
            ? () => {
                setSearch('');
                setChoice(null);
                setActiveOn('');
              }
            : undefined
        }
      >
        <Select
          label={option.label}
          placeholder={t('common.all')}
          data={option.values.map((v) => ({ value: v, label: option.labelOf(v) }))}
          value={choice}
          onChange={setChoice}
          clearable
          w={{ base: '100%', xs: option.width }}
          data-testid={option.testId}
        />
        <TextInput
          type="date"
          label={t('common.inForceOn')}
          value={activeOn}
          onChange={(e) => setActiveOn(e.currentTarget.value)}
          w={{ base: '100%', xs: 180 }}
          data-testid="filter-active-on"
        />
      </ListFilters>

      <Paper withBorder radius="md" p="sm">
        <CursorListBody
          list={list}
          filtered={filtered}
          minWidth={table.minWidth}
          testId={table.testId}
          columns={[
            t('common.code'),
            t('common.name'),
            ...middle.map((c) => c.header),
            t('common.validFrom'),
            t('common.validTo'),
            ...after.map((c) => c.header),
            t('common.status'),
          ]}
          renderRow={(row) => (
            <Table.Tr key={row.id}>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {row.code}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{row.name}</Text>
                {nameNote?.(row, list.items)}
              </Table.Td>
              {middle.map((c) => (
                <Table.Td key={c.header}>{c.cell(row)}</Table.Td>
              ))}
              <Table.Td>{formatDate(row.valid_from)}</Table.Td>
              <Table.Td>{formatDate(row.valid_to)}</Table.Td>
              {after.map((c) => (
                <Table.Td key={c.header}>{c.cell(row)}</Table.Td>
              ))}
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <InForceBadge from={row.valid_from} to={row.valid_to} />
              </Table.Td>
            </Table.Tr>
          )}
        />
      </Paper>
    </Stack>
  );
}
