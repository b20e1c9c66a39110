import { useState } from 'react';
import { Badge, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { ADMIN_UNIT_LEVELS, type AdminUnit, type AdminUnitsQuery } from '../api/types';
import { CursorListBody } from '../components/CursorListBody';
import { ListFilters } from '../components/ListFilters';
import { formatDate, inForce } from '../lib/format';
import { PAGE_SIZE, useCursorList } from '../lib/useCursorList';

export function levelLabel(t: (k: string) => string, level: string): string {
  const key = `adminUnits.levels.${level}`;
  const label = t(key);
  return label === key ? level : label;
}

export default function AdminUnitsPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [level, setLevel] = useState<string | null>(null);
  const [activeOn, setActiveOn] = useState('');

  const filters = { q: q || undefined, level: level ?? undefined, active_on: activeOn || undefined };
  const list = useCursorList<AdminUnit>(['admin-units', filters], async (cursor) => {
    const query = { limit: PAGE_SIZE, cursor, ...filters } as AdminUnitsQuery;
    return unwrap(await api.GET('/api/v1/admin-units', { params: { query } }));
  });
  const filtered = Boolean(q || level || activeOn);
  // names of units already loaded, to show the parent's name when we have it
  const names = new Map(list.items.map((u) => [u.id, u.name]));

  return (
    <Stack gap="md">
      <Title order={2}>{t('adminUnits.title')}</Title>
      <ListFilters
        search={search}
        onSearch={setSearch}
        placeholder={t('adminUnits.searchPlaceholder')}
        onClear={
          filtered
            ? () => {
                setSearch('');
                setLevel(null);
                setActiveOn('');
              }
            : undefined
        }
      >
        <Select
          label={t('adminUnits.level')}
          placeholder={t('common.all')}
          data={ADMIN_UNIT_LEVELS.map((l) => ({ value: l, label: levelLabel(t, l) }))}
          value={level}
          onChange={setLevel}
          clearable
          w={{ base: '100%', xs: 180 }}
          data-testid="filter-level"
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
          minWidth={820}
          testId="admin-units-table"
          columns={[
            t('common.code'),
            t('common.name'),
            t('adminUnits.level'),
            t('common.validFrom'),
            t('common.validTo'),
            t('adminUnits.formedFrom'),
            t('common.status'),
          ]}
          renderRow={(u) => (
            <Table.Tr key={u.id}>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {u.code}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{u.name}</Text>
                {u.parent_id != null && names.has(u.parent_id) && (
                  <Text size="xs" c="dimmed">
                    {names.get(u.parent_id)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{levelLabel(t, u.level)}</Table.Td>
              <Table.Td>{formatDate(u.valid_from)}</Table.Td>
              <Table.Td>{formatDate(u.valid_to)}</Table.Td>
              <Table.Td>
                <Text size="sm" maw={280}>
                  {u.formed_from_text || t('common.none')}
                </Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {inForce(u.valid_from, u.valid_to) ? (
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
