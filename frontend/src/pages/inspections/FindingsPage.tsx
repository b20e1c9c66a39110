// "Phát hiện" (for producers: "Phát hiện của tôi"): findings the caller may see, with filters by
// campaign, status, severity, content area, repetition and the producer's name (accents optional).
import { useState } from 'react';
import { Anchor, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { FINDING_STATUSES, SEVERITIES, type Finding } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { CursorListBody } from '../../components/CursorListBody';
import { ListFilters } from '../../components/ListFilters';
import { formatDate } from '../../lib/format';
import { PAGE_SIZE, useCursorList } from '../../lib/useCursorList';
import { enumLabel } from '../registry/labels';
import { campaignKeys, getCampaign, listCampaigns } from '../campaigns/campaignsApi';
import { isProducerOnly } from './access';
import { listFindings, inspectionKeys, type FindingFilters } from './inspectionsApi';
import { FindingStatusBadge, RepeatBadge, SeverityBadge } from './parts';

const FILTER_WIDTH = { base: '100%', xs: 200 };

function useCampaignOptions() {
  return useQuery({
    queryKey: [...campaignKeys.list, 'options'],
    queryFn: async () => (await listCampaigns({}, undefined, 200)).items,
    staleTime: 5 * 60_000,
  });
}

export default function FindingsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const mine = isProducerOnly(me?.roles);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [severity, setSeverity] = useState<string | null>(null);
  const [area, setArea] = useState<string | null>(null);
  const [repeat, setRepeat] = useState<string | null>(null);
  const campaigns = useCampaignOptions();
  const campaign = useQuery({
    queryKey: campaignKeys.one(Number(campaignId)),
    queryFn: () => getCampaign(Number(campaignId)),
    enabled: campaignId != null,
  });
  const areas = campaignId && campaign.data ? campaign.data.content_areas : [];

  const filters: FindingFilters = {
    q: q || undefined,
    campaign_id: campaignId ? Number(campaignId) : undefined,
    status: (status ?? undefined) as FindingFilters['status'],
    severity: (severity ?? undefined) as FindingFilters['severity'],
    content_area: area ? Number(area) : undefined,
    repeat: repeat === null ? undefined : repeat === 'yes',
  };
  const list = useCursorList<Finding>([...inspectionKeys.findings, 'list', filters], (cursor) =>
    listFindings(filters, cursor, PAGE_SIZE),
  );
  const filtered = Boolean(q || campaignId || status || severity || area || repeat);
  const clear = () => {
    setSearch('');
    setCampaignId(null);
    setStatus(null);
    setSeverity(null);
    setArea(null);
    setRepeat(null);
  };

  return (
    <Stack gap="md">
      <div>
        <Title order={2} data-testid="findings-title">
          {mine ? t('findings.mine') : t('findings.title')}
        </Title>
        <Text c="dimmed" size="sm">
          {mine ? t('findings.mineHint') : t('findings.hint')}
        </Text>
      </div>
      <ListFilters
        search={search}
        onSearch={setSearch}
        searchLabel={t('findings.search')}
        placeholder={t('findings.searchPlaceholder')}
        searchHint={t('findings.searchHint')}
        onClear={filtered ? clear : undefined}
      >
        <Select
          label={t('findings.campaign')}
          placeholder={t('common.all')}
          data={(campaigns.data ?? []).map((c) => ({
            value: String(c.id),
            label: `${c.year} · ${c.document_number ?? t('campaigns.list.noNumber')}`,
          }))}
          value={campaignId}
          onChange={(v) => {
            setCampaignId(v);
            setArea(null);
          }}
          clearable
          w={FILTER_WIDTH}
          data-testid="filter-campaign"
        />
        <Select
          label={t('common.status')}
          placeholder={t('common.all')}
          data={FINDING_STATUSES.map((s) => ({ value: s, label: enumLabel(t, 'findings.statuses', s) }))}
          value={status}
          onChange={setStatus}
          clearable
          w={FILTER_WIDTH}
          data-testid="filter-status"
        />
        <Select
          label={t('findings.severity')}
          placeholder={t('common.all')}
          data={SEVERITIES.map((s) => ({ value: s, label: enumLabel(t, 'campaigns.severities', s) }))}
          value={severity}
          onChange={setSeverity}
          clearable
          w={FILTER_WIDTH}
          data-testid="filter-severity"
        />
        <Select
          label={t('findings.contentArea')}
          placeholder={t('common.all')}
          description={campaignId ? undefined : t('findings.pickCampaign')}
          data={
            areas.length
              ? areas.map((a) => ({ value: String(a.number), label: `${a.number}. ${a.title}` }))
              : [1, 2, 3, 4].map((n) => ({ value: String(n), label: t('findings.areaNumber', { number: n }) }))
          }
          value={area}
          onChange={setArea}
          clearable
          w={{ base: '100%', xs: 260 }}
          comboboxProps={{ width: 420 }}
          data-testid="filter-area"
        />
        <Select
          label={t('findings.repeat')}
          placeholder={t('common.all')}
          data={[
            { value: 'yes', label: t('findings.repeatYes') },
            { value: 'no', label: t('findings.repeatNo') },
          ]}
          value={repeat}
          onChange={setRepeat}
          clearable
          w={FILTER_WIDTH}
          data-testid="filter-repeat"
        />
      </ListFilters>
      <CursorListBody
        list={list}
        filtered={filtered}
        minWidth={720}
        testId="findings-table"
        columns={[t('findings.finding'), t('findings.producer'), t('common.status'), t('findings.createdAt')]}
        renderRow={(f) => (
          <Table.Tr key={f.id} data-testid="finding-row" data-id={f.id}>
            <Table.Td maw={460}>
              <Anchor component={Link} to={`/phat-hien/${f.id}`} size="sm" fw={500} data-testid="finding-link">
                {f.description}
              </Anchor>
              <Text size="xs" c="dimmed">
                {[f.item_code, enumLabel(t, 'findings.categories', f.category)].filter(Boolean).join(' · ')}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{f.producer_name}</Text>
              {f.product_name && (
                <Text size="xs" c="dimmed">
                  {f.product_name}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Stack gap={4} align="flex-start">
                <SeverityBadge severity={f.severity} />
                <FindingStatusBadge status={f.status} />
                <RepeatBadge count={f.repeat_count} />
              </Stack>
            </Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(f.created_at)}</Table.Td>
          </Table.Tr>
        )}
      />
    </Stack>
  );
}
