import { useMemo, useState } from 'react';
import { Anchor, Button, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { CAMPAIGN_STATUSES, type CampaignStatus, type CampaignSummary } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { CursorListBody } from '../../components/CursorListBody';
import { ListFilters } from '../../components/ListFilters';
import { formatDateTime } from '../../lib/format';
import { useAgencyNames } from '../../lib/useAgencies';
import { PAGE_SIZE, useCursorList } from '../../lib/useCursorList';
import { enumLabel } from '../registry/labels';
import { canCreateCampaign } from './access';
import { campaignKeys, listCampaigns, type CampaignFilters } from './campaignsApi';
import { vnDate } from './model';
import { CampaignStatusBadge } from './parts';

/** "Kế hoạch kiểm tra": the plans the caller may see, newest first. */
export default function CampaignsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [status, setStatus] = useState<string | null>(null);
  const [year, setYear] = useState<string | null>(null);
  const agencies = useAgencyNames();

  const years = useMemo(() => {
    const now = new Date().getFullYear();
    return Array.from({ length: now + 2 - 2020 + 1 }, (_, i) => String(now + 2 - i));
  }, []);

  const filters: CampaignFilters = {
    q: q || undefined,
    status: (status ?? undefined) as CampaignStatus | undefined,
    year: year ? Number(year) : undefined,
  };
  const list = useCursorList<CampaignSummary>([...campaignKeys.list, filters], (cursor) =>
    listCampaigns(filters, cursor, PAGE_SIZE),
  );
  const filtered = Boolean(q || status || year);

  return (
    <Stack gap="md">
      <Title order={2}>{t('campaigns.title')}</Title>
      <ListFilters
        search={search}
        onSearch={setSearch}
        placeholder={t('campaigns.searchPlaceholder')}
        onClear={
          filtered
            ? () => {
                setSearch('');
                setStatus(null);
                setYear(null);
              }
            : undefined
        }
        actions={
          canCreateCampaign(me?.roles) && (
            <Button color="green" component={Link} to="/ke-hoach/moi" data-testid="campaign-create">
              {t('campaigns.create')}
            </Button>
          )
        }
      >
        <Select
          label={t('common.status')}
          placeholder={t('common.all')}
          data={CAMPAIGN_STATUSES.map((s) => ({ value: s, label: enumLabel(t, 'campaigns.statuses', s) }))}
          value={status}
          onChange={setStatus}
          clearable
          w={{ base: '100%', xs: 190 }}
          data-testid="filter-status"
        />
        <Select
          label={t('campaigns.fields.year')}
          placeholder={t('common.all')}
          data={years}
          value={year}
          onChange={setYear}
          clearable
          w={{ base: '100%', xs: 130 }}
          data-testid="filter-year"
        />
      </ListFilters>

      <Paper withBorder radius="md" p="sm">
        <CursorListBody
          list={list}
          filtered={filtered}
          minWidth={900}
          testId="campaigns-table"
          columns={[
            t('campaigns.list.plan'),
            t('campaigns.fields.agency'),
            t('campaigns.fields.year'),
            t('campaigns.list.period'),
            t('common.status'),
            t('campaigns.list.updated'),
          ]}
          renderRow={(c) => (
            <Table.Tr key={c.id} data-testid="campaign-row" data-campaign-id={c.id}>
              <Table.Td maw={480}>
                <Anchor component={Link} to={`/ke-hoach/${c.id}`} size="sm" fw={500} data-testid="campaign-link">
                  {c.title}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {c.document_number
                    ? t('campaigns.doc.number', { number: c.document_number })
                    : t('campaigns.list.noNumber')}
                </Text>
              </Table.Td>
              <Table.Td>{agencies.get(c.issuing_agency_id) ?? `#${c.issuing_agency_id}`}</Table.Td>
              <Table.Td>{c.year}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {c.period_start ? `${vnDate(c.period_start)} – ${vnDate(c.period_end)}` : t('common.none')}
              </Table.Td>
              <Table.Td>
                <CampaignStatusBadge status={c.status} size="sm" />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(c.updated_at)}</Table.Td>
            </Table.Tr>
          )}
        />
      </Paper>
    </Stack>
  );
}
