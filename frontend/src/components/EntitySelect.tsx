import { useMemo, useState } from 'react';
import { Loader, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { AdminUnit, Agency, Producer, Product, ProductPage, User } from '../api/types';

type Source = 'agencies' | 'admin-units' | 'users' | 'producers' | 'products';

interface Option {
  id: number;
  label: string;
}

/** How an entity no longer in force is marked ("hiệu lực đến 30/06/2025"). */
type Ended = (validTo: string) => string;

const agencyOption = (a: Agency): Option => ({ id: a.id, label: `${a.name} (${a.code})` });
const unitOption = (u: AdminUnit, ended: Ended): Option => {
  const gone = u.valid_to && dayjs(u.valid_to).isBefore(dayjs(), 'day');
  return { id: u.id, label: `${u.name} (${u.code})${gone ? ` — ${ended(u.valid_to!)}` : ''}` };
};
const userOption = (u: User): Option => ({ id: u.id, label: u.title ? `${u.full_name} — ${u.title}` : u.full_name });
const producerOption = (p: Producer): Option => ({
  id: p.id,
  label: p.admin_unit_name ? `${p.name} (${p.admin_unit_name})` : p.name,
});
const productOption = (p: Product): Option => ({ id: p.id, label: `${p.name} — ${p.producer_name}` });

/**
 * Entities in force today matching `q` (new assignments should not point at dissolved bodies),
 * or, with `anyTime`, also those dissolved since (plans and reports name the units of their time).
 */
async function search(
  source: Source,
  q: string,
  within: number | undefined,
  anyTime: boolean,
  ended: Ended,
): Promise<Option[]> {
  const query = { limit: 50, q: q || undefined, active_on: anyTime ? undefined : dayjs().format('YYYY-MM-DD') };
  if (source === 'agencies') {
    return unwrap(await api.GET('/api/v1/agencies', { params: { query: { ...query, within_unit: within } } })).items.map(
      agencyOption,
    );
  }
  if (source === 'users') {
    const users = { limit: 50, q: q || undefined, active: true };
    return unwrap(await api.GET('/api/v1/users', { params: { query: users } })).items.map(userOption);
  }
  if (source === 'products') {
    const page = unwrap(await api.GET('/api/v1/products', { params: { query: { limit: 50, q: q || undefined } } }));
    return (page as ProductPage).items.map(productOption);
  }
  if (source === 'producers') {
    const producers = { limit: 50, q: q || undefined, unit_id: within };
    const page = unwrap(await api.GET('/api/v1/producers', { params: { query: producers } }));
    return (page as { items: Producer[] }).items.map(producerOption);
  }
  return unwrap(await api.GET('/api/v1/admin-units', { params: { query: { ...query, within } } })).items.map((u) =>
    unitOption(u, ended),
  );
}

/** One entity by id, to label a current value that the search did not return. */
async function fetchOne(source: Source, id: number, ended: Ended): Promise<Option> {
  if (source === 'agencies') {
    return agencyOption(unwrap(await api.GET('/api/v1/agencies/{agency_id}', { params: { path: { agency_id: id } } })));
  }
  if (source === 'users') {
    return userOption(unwrap(await api.GET('/api/v1/users/{user_id}', { params: { path: { user_id: id } } })));
  }
  if (source === 'products') {
    return productOption(unwrap(await api.GET('/api/v1/products/{product_id}', { params: { path: { product_id: id } } })));
  }
  if (source === 'producers') {
    const producer = await api.GET('/api/v1/producers/{producer_id}', { params: { path: { producer_id: id } } });
    return producerOption(unwrap(producer));
  }
  const unit = await api.GET('/api/v1/admin-units/{unit_id}', { params: { path: { unit_id: id } } });
  return unitOption(unwrap(unit), ended);
}

interface Props {
  source: Source;
  label: string;
  placeholder?: string;
  value: number | null;
  /** The chosen id, with the option's label. */
  onChange: (value: number | null, label?: string) => void;
  error?: string;
  required?: boolean;
  description?: string;
  disabled?: boolean;
  /** An "add" picker: the box empties after each choice (the parent keeps the chosen ids). */
  clearOnPick?: boolean;
  /** Also offer entities no longer in force (marked as such), e.g. the districts of earlier plans. */
  anyTime?: boolean;
  /** Only entities placed in (units: covered by; producers: located in) this administrative unit. */
  within?: number;
  'data-testid'?: string;
}

/** Searchable select backed by a server-side `q` search on agencies, admin units, users, producers or products. */
export function EntitySelect({
  source,
  label,
  placeholder,
  value,
  onChange,
  error,
  within,
  clearOnPick,
  anyTime = false,
  ...rest
}: Props) {
  const { t } = useTranslation();
  const ended: Ended = (validTo) => t('common.validUntil', { date: dayjs(validTo).format('DD/MM/YYYY') });
  const [searchValue, setSearchValue] = useState('');
  const [q] = useDebouncedValue(searchValue.trim(), 300);

  const current = useQuery({
    queryKey: ['entity-one', source, value],
    queryFn: () => fetchOne(source, value!, ended),
    enabled: value != null,
    staleTime: 5 * 60_000,
  });
  // When the search box only shows the selected label, list everything instead.
  const effectiveQ = q && q !== current.data?.label ? q : '';

  const results = useQuery({
    queryKey: ['entity-select', source, effectiveQ, within ?? null, anyTime],
    queryFn: () => search(source, effectiveQ, within, anyTime, ended),
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
      onChange={(v, option) => {
        onChange(v ? Number(v) : null, option?.label);
        // after the Select has shown the chosen label, empty the box again
        if (clearOnPick && v) setTimeout(() => setSearchValue(''), 0);
      }}
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
