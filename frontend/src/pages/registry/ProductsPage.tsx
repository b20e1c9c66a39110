import { useMemo, useState } from 'react';
import { Anchor, Badge, CloseButton, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { CERTIFICATE_FILTERS, type Product } from '../../api/types';
import { CursorListBody } from '../../components/CursorListBody';
import { ListFilters } from '../../components/ListFilters';
import { CertificateStatusBadge, SampleBadge, Stars } from '../../components/RegistryBadges';
import { formatDate } from '../../lib/format';
import { PAGE_SIZE, useCursorList } from '../../lib/useCursorList';
import { ExportButtons } from './ExportButtons';
import { ProductDrawer } from './ProductDrawer';
import { certificateStatusLabel } from './labels';
import { getProducer, listProducts, useTaxonomy, type ProductFilters } from './registryApi';

/** URL parameters: `chu-the` narrows the list to one producer, `sp` opens a product's details. */
const PRODUCER_PARAM = 'chu-the';
const PRODUCT_PARAM = 'sp';

const toInt = (v: string | null): number | undefined => {
  const n = v ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

export default function ProductsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [stars, setStars] = useState<string | null>(null);
  const [group, setGroup] = useState<string | null>(null);
  const [productSet, setProductSet] = useState<string | null>(null);
  const [certStatus, setCertStatus] = useState<string | null>(null);
  const [expiringBefore, setExpiringBefore] = useState('');
  const taxonomy = useTaxonomy();

  const producerId = toInt(params.get(PRODUCER_PARAM));
  const openProductId = toInt(params.get(PRODUCT_PARAM)) ?? null;
  const producer = useQuery({
    queryKey: ['producer', producerId],
    queryFn: () => getProducer(producerId!),
    enabled: producerId != null,
  });

  const setParam = (name: string, value: number | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value == null) next.delete(name);
        else next.set(name, String(value));
        return next;
      },
      { replace: true },
    );

  const filters: ProductFilters = {
    q: q || undefined,
    producer_id: producerId,
    stars: stars ? Number(stars) : undefined,
    group: group ? Number(group) : undefined,
    product_set: productSet ? Number(productSet) : undefined,
    certificate_status: (certStatus ?? undefined) as ProductFilters['certificate_status'],
    expiring_before: expiringBefore || undefined,
  };
  const list = useCursorList<Product>(['products', filters], (cursor) => listProducts(filters, cursor, PAGE_SIZE));
  const filtered = Boolean(q || producerId || stars || group || productSet || certStatus || expiringBefore);

  const groups = taxonomy.data?.groups ?? [];
  const setNames = useMemo(
    () => new Map((taxonomy.data?.sets ?? []).map((s) => [s.number, s.name])),
    [taxonomy.data?.sets],
  );
  const setOptions = useMemo(() => {
    const groupId = group ? groups.find((g) => g.number === Number(group))?.id : undefined;
    return (taxonomy.data?.sets ?? [])
      .filter((s) => groupId === undefined || s.group_id === groupId)
      .map((s) => ({ value: String(s.number), label: `${s.number}. ${s.name}` }));
  }, [taxonomy.data?.sets, groups, group]);

  const clear = () => {
    setSearch('');
    setStars(null);
    setGroup(null);
    setProductSet(null);
    setCertStatus(null);
    setExpiringBefore('');
    setParam(PRODUCER_PARAM, null);
  };

  return (
    <Stack gap="md">
      <Title order={2}>{t('products.title')}</Title>
      <ListFilters
        search={search}
        onSearch={setSearch}
        placeholder={t('products.searchPlaceholder')}
        searchHint={t('products.searchHint')}
        onClear={filtered ? clear : undefined}
        actions={<ExportButtons list="products" filters={filters} />}
      >
        <Select
          label={t('products.stars')}
          placeholder={t('common.all')}
          data={[5, 4, 3].map((n) => ({ value: String(n), label: `${'★'.repeat(n)} (${t('registry.starsLabel', { count: n })})` }))}
          value={stars}
          onChange={setStars}
          clearable
          w={{ base: '100%', xs: 170 }}
          data-testid="filter-stars"
        />
        <Select
          label={t('products.group')}
          placeholder={t('common.all')}
          data={groups.map((g) => ({ value: String(g.number), label: `${g.number}. ${g.name}` }))}
          value={group}
          onChange={(v) => {
            setGroup(v);
            setProductSet(null);
          }}
          clearable
          w={{ base: '100%', xs: 220 }}
          comboboxProps={{ width: 360, position: 'bottom-start' }}
          data-testid="filter-group"
        />
        <Select
          label={t('products.productSet')}
          placeholder={t('common.all')}
          data={setOptions}
          value={productSet}
          onChange={setProductSet}
          clearable
          searchable
          w={{ base: '100%', xs: 200 }}
          comboboxProps={{ width: 360, position: 'bottom-start' }}
          data-testid="filter-product-set"
        />
        <Select
          label={t('products.certificateStatus')}
          placeholder={t('common.all')}
          data={CERTIFICATE_FILTERS.map((s) => ({ value: s, label: certificateStatusLabel(t, s) }))}
          value={certStatus}
          onChange={setCertStatus}
          clearable
          w={{ base: '100%', xs: 200 }}
          data-testid="filter-cert-status"
        />
        <TextInput
          type="date"
          label={t('products.expiringBefore')}
          value={expiringBefore}
          onChange={(e) => setExpiringBefore(e.currentTarget.value)}
          w={{ base: '100%', xs: 180 }}
          data-testid="filter-expiring-before"
        />
      </ListFilters>

      {producerId != null && (
        <Group gap="xs">
          <Badge
            size="lg"
            variant="light"
            color="green"
            rightSection={
              <CloseButton
                size="xs"
                variant="transparent"
                aria-label={t('products.clearProducer')}
                onClick={() => setParam(PRODUCER_PARAM, null)}
              />
            }
            data-testid="producer-filter"
          >
            {t('products.ofProducer', { name: producer.data?.name ?? `#${producerId}` })}
          </Badge>
        </Group>
      )}

      <Paper withBorder radius="md" p="sm">
        <CursorListBody
          list={list}
          filtered={filtered}
          minWidth={900}
          testId="products-table"
          columns={[
            t('products.product'),
            t('products.producer'),
            t('products.stars'),
            t('products.certificate'),
            t('products.validUntil'),
          ]}
          renderRow={(p) => {
            const cert = p.certificate ?? null;
            return (
              <Table.Tr
                key={p.id}
                data-testid="product-row"
                data-product-id={p.id}
                onClick={() => setParam(PRODUCT_PARAM, p.id)}
                style={{ cursor: 'pointer' }}
              >
                <Table.Td>
                  <Group gap={6} wrap="nowrap" align="flex-start">
                    <Anchor
                      component="button"
                      type="button"
                      size="sm"
                      fw={500}
                      ta="left"
                      onClick={(e) => {
                        e.stopPropagation();
                        setParam(PRODUCT_PARAM, p.id);
                      }}
                      data-testid="product-name"
                    >
                      {p.name}
                    </Anchor>
                    {p.is_sample && <SampleBadge />}
                  </Group>
                  {p.product_set_number != null && (
                    <Text size="xs" c="dimmed">
                      {t('products.setShort', {
                        number: p.product_set_number,
                        name: setNames.get(p.product_set_number) ?? '',
                      })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{p.producer_name}</Text>
                </Table.Td>
                <Table.Td>
                  <Stars stars={cert?.stars} />
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <CertificateStatusBadge status={cert?.status ?? null} />
                  {cert && (
                    <Text size="xs" c="dimmed" ff="monospace">
                      {cert.certificate_number}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm" c={cert?.status === 'expiring' ? 'orange.8' : undefined} data-testid="valid-to">
                    {formatDate(cert?.valid_to)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          }}
        />
      </Paper>

      <ProductDrawer productId={openProductId} onClose={() => setParam(PRODUCT_PARAM, null)} />
    </Stack>
  );
}
