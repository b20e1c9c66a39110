import { useMemo, useState } from 'react';
import { Loader, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { AdminUnit, Agency } from '../api/types';

type Source = 'agencies' | 'admin-units';

interface Option {
  id: number;
  label: string;
}

const agencyOption = (a: Agency): Option => ({ id: a.id, label: `${a.name} (${a.code})` });
const unitOption = (u: AdminUnit): Option => ({ id: u.id, label: `${u.name} (${u.code})` });

/** Entities in force today matching `q` (new assignments should not point at dissolved bodies). */
async function search(source: Source, q: string, within?: number): Promise<Option[]> {
  const query = { limit: 50, q: q || undefined, active_on: dayjs().format('YYYY-MM-DD') };
  if (source === 'agencies') {
    return unwrap(await api.GET('/api/v1/agencies', { params: { query: { ...query, within_unit: within } } })).items.map(
      agencyOption,
    );
  }
  return unwrap(await api.GET('/api/v1/admin-units', { params: { query: { ...query, within } } })).items.map(unitOption);
}

/** One entity by id, to label a current value that the search did not return. */
async function fetchOne(source: Source, id: number): Promise<Option> {
  if (source === 'agencies') {
    return agencyOption(unwrap(await api.GET('/api/v1/agencies/{agency_id}', { params: { path: { agency_id: id } } })));
  }
  return unitOption(unwrap(await api.GET('/api/v1/admin-units/{unit_id}', { params: { path: { unit_id: id } } })));
}

interface Props {
  source: Source;
  label: string;
  placeholder?: string;
  value: number | null;
  onChange: (value: number | null) => void;
  error?: string;
  required?: boolean;
  /** Only entities placed in (units: covered by) this administrative unit. */
  within?: number;
  'data-testid'?: string;
}

/** Searchable select backed by a server-side `q` search on agencies or admin units. */
export function EntitySelect({ source, label, placeholder, value, onChange, error, within, ...rest }: Props) {
  const { t } = useTranslation();
  const [searchValue, setSearchValue] = useState('');
  const [q] = useDebouncedValue(searchValue.trim(), 300);

  const current = useQuery({
    queryKey: ['entity-one', source, value],
    queryFn: () => fetchOne(source, value!),
    enabled: value != null,
    staleTime: 5 * 60_000,
  });
  // When the search box only shows the selected label, list everything instead.
  const effectiveQ = q && q !== current.data?.label ? q : '';

  const results = useQuery({
    queryKey: ['entity-select', source, effectiveQ, within ?? null],
    queryFn: () => search(source, effectiveQ, within),
    staleTime: 60_000,
  });

  const data = useMemo(() => {
    const opts = results.data ?? [];
    const list = opts.map((o) => ({ value: String(o.id), label: o.label }));
    if (value != null && !opts.some((o) => o.id === value)) {
      list.unshift({ value: String(value), label: current.data?.label ?? `#${value}` });
    }
    return list;
  }, [results.data, current.data, value]);

  return (
    <Select
      label={label}
      placeholder={placeholder}
      data={data}
      value={value != null ? String(value) : null}
      onChange={(v) => onChange(v ? Number(v) : null)}
      searchable
      clearable
      searchValue={searchValue}
      onSearchChange={setSearchValue}
      filter={({ options }) => options}
      nothingFoundMessage={results.isFetching ? t('app.loading') : t('common.empty')}
      rightSection={results.isFetching ? <Loader size="xs" /> : undefined}
      error={error}
      comboboxProps={{ withinPortal: true }}
      {...rest}
    />
  );
}
