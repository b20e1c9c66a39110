// "Tra cứu tuân thủ": the compliance status of a product (today or as of a day), why, its certificate
// and open findings, and the producer's overall status with each of its products.
import { Anchor, Badge, Button, Group, List, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ProductCompliance, Severity } from '../../api/types';
import { EntitySelect } from '../../components/EntitySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { CertificateStatusBadge, Stars } from '../../components/RegistryBadges';
import { PageLoader } from '../../components/States';
import { formatDate, formatDateTime } from '../../lib/format';
import { enumLabel } from '../registry/labels';
import { getProduct, listProducts } from '../registry/registryApi';
import { Section } from '../campaigns/parts';
import { vnToday } from '../campaigns/model';
import { getProducerCompliance, getProductCompliance, inspectionKeys } from './inspectionsApi';
import { isIsoDate, reasonText } from './model';
import { ComplianceBadge } from './parts';

const COUNTED: Severity[] = ['minor', 'major', 'critical'];
const COUNT_COLORS: Record<string, string> = { minor: 'yellow', major: 'orange', critical: 'red' };

function Reasons({ reasons }: { reasons: ProductCompliance['reasons'] }) {
  const { t } = useTranslation();
  const severity = (s: Severity) => enumLabel(t, 'campaigns.severities', s).toLowerCase();
  if (reasons.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="compliance-no-reasons">
        {t('compliance.noReasons')}
      </Text>
    );
  }
  return (
    <List spacing={6} size="sm" data-testid="compliance-reasons">
      {reasons.map((r, i) => (
        <List.Item key={`${r.code}-${i}`} data-testid="compliance-reason" data-code={r.code}>
          <Text span size="sm" fw={600}>
            {enumLabel(t, 'compliance.reasons', r.code)}:
          </Text>{' '}
          <Text span size="sm">
            {reasonText(r, severity)}
          </Text>
          {r.finding_id != null && (
            <>
              {' '}
              <Anchor component={Link} to={`/phat-hien/${r.finding_id}`} size="sm" data-testid="compliance-finding-link">
                {t('compliance.openFinding', { id: r.finding_id })}
              </Anchor>
            </>
          )}
        </List.Item>
      ))}
    </List>
  );
}

function OpenFindings({ counts }: { counts: ProductCompliance['open_findings'] }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" data-testid="compliance-open-findings">
      {COUNTED.map((s) => (
        <Badge
          key={s}
          size="lg"
          variant={counts[s as keyof typeof counts] ? 'filled' : 'outline'}
          color={counts[s as keyof typeof counts] ? COUNT_COLORS[s] : 'gray'}
          data-testid={`open-${s}`}
        >
          {enumLabel(t, 'campaigns.severities', s)}: {counts[s as keyof typeof counts] ?? 0}
        </Badge>
      ))}
    </Group>
  );
}

function ProductStatus({ productId, asOf }: { productId: number; asOf: string | null }) {
  const { t } = useTranslation();
  const product = useQuery({ queryKey: ['product', productId], queryFn: () => getProduct(productId) });
  const status = useQuery({
    queryKey: [...inspectionKeys.compliance, 'product', productId, asOf],
    queryFn: () => getProductCompliance(productId, asOf),
  });
  if (status.isPending) return <PageLoader />;
  if (status.isError) return <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />;
  const c = status.data;
  return (
    <Paper withBorder radius="md" p="md" data-testid="compliance-product-card">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <div>
            <Title order={3} data-testid="compliance-product-name">
              {product.data?.name ?? `#${productId}`}
            </Title>
            {product.data && (
              <Text size="sm" c="dimmed">
                {product.data.producer_name}
              </Text>
            )}
          </div>
          <Stack gap={4} align="flex-end">
            <ComplianceBadge status={c.status} size="xl" />
            <Text size="xs" c="dimmed" data-testid="compliance-as-of-text">
              {t('compliance.asOfText', { date: formatDate(c.as_of) })}
            </Text>
          </Stack>
        </Group>
        <div>
          <Text fw={600} size="sm" mb={4}>
            {t('compliance.reasonsTitle')}
          </Text>
          <Reasons reasons={c.reasons} />
        </div>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <div>
            <Text fw={600} size="sm" mb={4}>
              {t('compliance.certificate')}
            </Text>
            {c.certificate ? (
              <Group gap="lg" wrap="wrap" data-testid="compliance-certificate">
                <Field label={t('products.certificateNumber')}>
                  <Text ff="monospace" size="sm">
                    {c.certificate.number}
                  </Text>
                </Field>
                <Field label={t('products.stars')}>
                  <Stars stars={c.certificate.stars} />
                </Field>
                <Field label={t('products.validity')}>
                  {formatDate(c.certificate.valid_from)} – {formatDate(c.certificate.valid_to)}
                </Field>
                <Field label={t('common.status')}>
                  <CertificateStatusBadge status={c.certificate.status} />
                </Field>
              </Group>
            ) : (
              <CertificateStatusBadge status={null} />
            )}
          </div>
          <div>
            <Text fw={600} size="sm" mb={4}>
              {t('compliance.openFindings')}
            </Text>
            <OpenFindings counts={c.open_findings} />
          </div>
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          {t('compliance.updatedAt', { at: formatDateTime(c.updated_at) })}
        </Text>
      </Stack>
    </Paper>
  );
}

function ProducerStatus({
  producerId,
  asOf,
  current,
  onPick,
}: {
  producerId: number;
  asOf: string | null;
  current: number;
  onPick: (productId: number) => void;
}) {
  const { t } = useTranslation();
  const status = useQuery({
    queryKey: [...inspectionKeys.compliance, 'producer', producerId, asOf],
    queryFn: () => getProducerCompliance(producerId, asOf),
  });
  const products = useQuery({
    queryKey: ['products', { producer_id: producerId, limit: 200 }],
    queryFn: () => listProducts({ producer_id: producerId }, undefined, 200),
  });
  const names = new Map((products.data?.items ?? []).map((p) => [p.id, p.name]));
  if (status.isPending) return <PageLoader />;
  if (status.isError) return <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />;
  const c = status.data;
  return (
    <Section
      title={t('compliance.producerTitle', { name: products.data?.items[0]?.producer_name ?? '' })}
      testId="compliance-producer"
      actions={<ComplianceBadge status={c.status} size="lg" />}
    >
      <Text size="sm" c="dimmed" mb="xs">
        {t('compliance.producerHint')}
      </Text>
      <Table.ScrollContainer minWidth={520}>
        <Table verticalSpacing="xs" fz="sm" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('compliance.product')}</Table.Th>
              <Table.Th>{t('common.status')}</Table.Th>
              <Table.Th>{t('compliance.openFindings')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.products.map((p) => (
              <Table.Tr key={p.product_id} data-testid="compliance-producer-product" bg={p.product_id === current ? 'green.0' : undefined}>
                <Table.Td>
                  <Anchor component="button" type="button" size="sm" onClick={() => onPick(p.product_id)}>
                    {names.get(p.product_id) ?? `#${p.product_id}`}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <ComplianceBadge status={p.status} size="sm" />
                </Table.Td>
                <Table.Td>
                  {COUNTED.map((s) => p.open_findings[s as keyof typeof p.open_findings] ?? 0).join(' / ')}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Section>
  );
}

export default function CompliancePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const productId = Number(params.get('sp')) || null;
  const day = params.get('ngay');
  const asOf = isIsoDate(day) ? day : null;
  const product = useQuery({
    queryKey: ['product', productId],
    queryFn: () => getProduct(productId!),
    enabled: productId != null,
  });

  const set = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  return (
    <Stack gap="md" maw={1100}>
      <div>
        <Title order={2}>{t('compliance.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('compliance.hint')}
        </Text>
      </div>
      <Paper withBorder radius="md" p="md">
        <Group align="flex-end" gap="md" wrap="wrap">
          <div style={{ flex: '1 1 320px' }}>
            <EntitySelect
              source="products"
              label={t('compliance.product')}
              placeholder={t('compliance.productPlaceholder')}
              value={productId}
              onChange={(id) => set('sp', id != null ? String(id) : null)}
              data-testid="compliance-product"
            />
          </div>
          <TextInput
            type="date"
            label={t('compliance.asOf')}
            value={day ?? ''}
            max={vnToday()}
            onChange={(e) => set('ngay', e.currentTarget.value || null)}
            w={200}
            data-testid="compliance-as-of"
          />
          {day && (
            <Button variant="subtle" onClick={() => set('ngay', null)}>
              {t('compliance.today')}
            </Button>
          )}
        </Group>
      </Paper>
      {productId == null ? (
        <Text c="dimmed" data-testid="compliance-empty">
          {t('compliance.pick')}
        </Text>
      ) : (
        <>
          <ProductStatus productId={productId} asOf={asOf} />
          {product.data && (
            <ProducerStatus
              producerId={product.data.producer_id}
              asOf={asOf}
              current={productId}
              onPick={(id) => set('sp', String(id))}
            />
          )}
        </>
      )}
    </Stack>
  );
}
