import { useState } from 'react';
import { Anchor, Badge, Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PRODUCER_KINDS, PRODUCER_STATUSES, type Producer } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { CursorListBody } from '../../components/CursorListBody';
import { ListFilters } from '../../components/ListFilters';
import { SampleBadge } from '../../components/RegistryBadges';
import { PAGE_SIZE, useCursorList } from '../../lib/useCursorList';
import { ExportButtons } from './ExportButtons';
import { ProducerFormModal } from './ProducerFormModal';
import { registerScope } from './access';
import { producerKindLabel, producerStatusLabel } from './labels';
import { listProducers, type ProducerFilters } from './registryApi';

const STATUS_COLORS: Record<string, string> = { active: 'green', suspended: 'yellow', ceased: 'gray' };

export default function ProducersPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [kind, setKind] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const scope = registerScope(me?.roles);

  const filters: ProducerFilters = {
    q: q || undefined,
    kind: (kind ?? undefined) as ProducerFilters['kind'],
    status: (status ?? undefined) as ProducerFilters['status'],
  };
  const list = useCursorList<Producer>(['producers', filters], (cursor) => listProducers(filters, cursor, PAGE_SIZE));
  const filtered = Boolean(q || kind || status);

  return (
    <Stack gap="md">
      <Title order={2}>{t('producers.title')}</Title>
      <ListFilters
        search={search}
        onSearch={setSearch}
        placeholder={t('producers.searchPlaceholder')}
        onClear={
          filtered
            ? () => {
                setSearch('');
                setKind(null);
                setStatus(null);
              }
            : undefined
        }
        actions={
          <>
            <ExportButtons list="producers" filters={filters} />
            {scope.allowed && (
              <Button color="green" onClick={() => setFormOpen(true)} data-testid="producer-create">
                {t('producers.register')}
              </Button>
            )}
          </>
        }
      >
        <Select
          label={t('producers.kind')}
          placeholder={t('common.all')}
          data={PRODUCER_KINDS.map((k) => ({ value: k, label: producerKindLabel(t, k) }))}
          value={kind}
          onChange={setKind}
          clearable
          w={{ base: '100%', xs: 190 }}
          data-testid="filter-kind"
        />
        <Select
          label={t('common.status')}
          placeholder={t('common.all')}
          data={PRODUCER_STATUSES.map((s) => ({ value: s, label: producerStatusLabel(t, s) }))}
          value={status}
          onChange={setStatus}
          clearable
          w={{ base: '100%', xs: 190 }}
          data-testid="filter-status"
        />
      </ListFilters>

      <Paper withBorder radius="md" p="sm">
        <CursorListBody
          list={list}
          filtered={filtered}
          minWidth={860}
          testId="producers-table"
          columns={[
            t('producers.name'),
            t('producers.kind'),
            t('producers.unit'),
            { label: t('producers.productCount'), ta: 'right' },
            t('common.status'),
          ]}
          renderRow={(p) => (
            <Table.Tr key={p.id} data-testid="producer-row" data-producer-id={p.id}>
              <Table.Td>
                <Group gap={6} wrap="nowrap" align="flex-start">
                  <Text size="sm" fw={500}>
                    {p.name}
                  </Text>
                  {p.is_sample && <SampleBadge />}
                </Group>
                {(p.tax_code || p.representative) && (
                  <Text size="xs" c="dimmed">
                    {[p.tax_code && t('producers.taxCodeShort', { code: p.tax_code }), p.representative]
                      .filter(Boolean)
                      .join(' · ')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{producerKindLabel(t, p.kind)}</Table.Td>
              <Table.Td>{p.admin_unit_name || t('common.none')}</Table.Td>
              <Table.Td ta="right">
                {p.product_count > 0 ? (
                  <Anchor
                    component={Link}
                    to={`/san-pham?chu-the=${p.id}`}
                    size="sm"
                    aria-label={t('producers.viewProducts', { name: p.name })}
                  >
                    {p.product_count}
                  </Anchor>
                ) : (
                  <Text size="sm" c="dimmed" component="span">
                    0
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Badge size="sm" variant="light" color={STATUS_COLORS[p.status] ?? 'gray'}>
                  {producerStatusLabel(t, p.status)}
                </Badge>
              </Table.Td>
            </Table.Tr>
          )}
        />
      </Paper>

      {scope.allowed && (
        <ProducerFormModal
          opened={formOpen}
          onClose={() => setFormOpen(false)}
          withinUnit={scope.provinceWide ? undefined : (me?.scope_unit?.id ?? undefined)}
        />
      )}
    </Stack>
  );
}
