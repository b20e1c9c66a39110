import { useMemo, useState } from 'react';
import { Badge, Loader, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { enumLabel } from '../registry/labels';
import { getCampaignSummary, searchCampaigns } from './eofficeApi';
import { stateColor } from './model';

export function StateBadge({ state, size = 'sm' }: { state: string; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge color={stateColor(state)} variant="light" size={size} data-testid="eoffice-state" data-state={state}>
      {enumLabel(t, 'eoffice.states', state)}
    </Badge>
  );
}

export function KindBadge({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return (
    <Badge color="gray" variant="outline" size="sm" data-testid="eoffice-kind" data-kind={kind}>
      {enumLabel(t, 'eoffice.kinds', kind)}
    </Badge>
  );
}

/** "Số 22/KH-SNN — Kế hoạch kiểm tra …": a plan as the choices name it. */
const campaignLabel = (c: { id: number; title: string; document_number?: string | null }) =>
  c.document_number ? `${c.document_number} — ${c.title}` : c.title;

interface CampaignSelectProps {
  label: string;
  value: number | null;
  onChange: (value: number | null) => void;
  error?: string;
  'data-testid'?: string;
}

/** A searchable choice among the plans the caller sees (server-side search on title and number). */
export function CampaignSelect({ label, value, onChange, error, ...rest }: CampaignSelectProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const current = useQuery({
    queryKey: ['eoffice', 'campaign', value],
    queryFn: () => getCampaignSummary(value!),
    enabled: value != null,
    staleTime: 5 * 60_000,
  });
  const currentLabel = current.data ? campaignLabel(current.data) : undefined;
  // when the box only shows the chosen plan, list every plan rather than that one
  const effective = q && q !== currentLabel ? q : '';
  const results = useQuery({
    queryKey: ['eoffice', 'campaign-search', effective],
    queryFn: () => searchCampaigns(effective),
    staleTime: 60_000,
  });
  const data = useMemo(() => {
    const list = (results.data ?? []).map((c) => ({ value: String(c.id), label: campaignLabel(c) }));
    if (value != null && !list.some((o) => o.value === String(value))) {
      list.unshift({ value: String(value), label: currentLabel ?? `#${value}` });
    }
    return list;
  }, [results.data, value, currentLabel]);

  return (
    <Select
      label={label}
      placeholder={t('eoffice.route.campaignPlaceholder')}
      data={data}
      value={value != null ? String(value) : null}
      onChange={(v) => onChange(v ? Number(v) : null)}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={results.isFetching ? t('app.loading') : t('common.empty')}
      rightSection={results.isFetching ? <Loader size="xs" /> : undefined}
      error={error}
      required
      comboboxProps={{ withinPortal: true }}
      {...rest}
    />
  );
}
