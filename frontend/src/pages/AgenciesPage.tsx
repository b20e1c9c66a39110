import { useState } from 'react';
import { Badge, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { AGENCY_KINDS, type AgenciesQuery, type Agency } from '../api/types';
import { CursorListBody } from '../components/CursorListBody';
import { ListFilters } from '../components/ListFilters';
import { formatDate, inForce } from '../lib/format';
import { PAGE_SIZE, useCursorList } from '../lib/useCursorList';

export function agencyKindLabel(t: (k: string) => string, kind: string): string {
  const key = `agencies.kinds.${kind}`;
  const label = t(key);
  return label === key ? kind : label;
}

export default function AgenciesPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [kind, setKind] = useState<string | null>(null);
  const [activeOn, setActiveOn] = useState('');

  const filters = { q: q || undefined, kind: kind ?? undefined, active_on: activeOn || undefined };
  const list = useCursorList<Agency>(['agencies', filters], async (cursor) => {
    const query = { limit: PAGE_SIZE, cursor, ...filters } as AgenciesQuery;
    return unwrap(await api.GET('/api/v1/agencies', { params: { query } }));
  });
  const filtered = Boolean(q || kind || activeOn);

  return (
    <Stack gap="md">
      <Title order={2}>{t('agencies.title')}</Title>
      <ListFilters
        search={search}
        onSearch={setSearch}
        placeholder={t('agencies.searchPlaceholder')}
        onClear={
          filtered
            ? () => {
                setSearch('');
                setKind(null);
                setActiveOn('');
              }
            : undefined
        }
      >
        <Select
          label={t('agencies.kind')}
          placeholder={t('common.all')}
          data={AGENCY_KINDS.map((k) => ({ value: k, label: agencyKindLabel(t, k) }))}
          value={kind}
          onChange={setKind}
          clearable
          w={{ base: '100%', xs: 200 }}
          data-testid="filter-kind"
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
          minWidth={760}
          testId="agencies-table"
          columns={[
            t('common.code'),
            t('common.name'),
            t('agencies.shortName'),
            t('agencies.kind'),
            t('common.validFrom'),
            t('common.validTo'),
            t('common.status'),
          ]}
          renderRow={(a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {a.code}
                </Text>
              </Table.Td>
              <Table.Td>{a.name}</Table.Td>
              <Table.Td>{a.short_name || t('common.none')}</Table.Td>
              <Table.Td>{agencyKindLabel(t, a.kind)}</Table.Td>
              <Table.Td>{formatDate(a.valid_from)}</Table.Td>
              <Table.Td>{formatDate(a.valid_to)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {inForce(a.valid_from, a.valid_to) ? (
                  <Badge color="green" variant="light" tt="none">
                    {t('common.inForce')}
                  </Badge>
                ) : (
                  <Badge color="gray" variant="light" tt="none">
                    {t('common.expired')}
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          )}
        />
      </Paper>
    </Stack>
  );
}
