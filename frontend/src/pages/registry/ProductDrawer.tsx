import { Badge, Button, Divider, Drawer, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Certificate, Product, StampIssue } from '../../api/types';
import { CursorListBody } from '../../components/CursorListBody';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { CertificateStatusBadge, SampleBadge, Stars } from '../../components/RegistryBadges';
import { PageLoader } from '../../components/States';
import { formatDate } from '../../lib/format';
import { useCursorList } from '../../lib/useCursorList';
import { producerKindLabel, productStatusLabel } from './labels';
import { getProducer, getProduct, listProductCertificates, listStampIssues, useTaxonomy } from './registryApi';

function CertificateHistory({ productId }: { productId: Product['id'] }) {
  const { t } = useTranslation();
  const certs = useQuery({
    queryKey: ['certificates', { product_id: productId }],
    queryFn: () => listProductCertificates(productId),
  });
  if (certs.isPending) return <PageLoader />;
  if (certs.isError) return <ErrorAlert error={certs.error} onRetry={() => void certs.refetch()} />;
  const items: Certificate[] = [...certs.data.items].sort((a, b) => b.valid_from.localeCompare(a.valid_from));
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="no-certificates">
        {t('products.noCertificates')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={680}>
      <Table verticalSpacing={6} fz="sm" data-testid="certificate-history" style={{ whiteSpace: 'nowrap' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('products.certificateNumber')}</Table.Th>
            <Table.Th>{t('products.decision')}</Table.Th>
            <Table.Th>{t('products.stars')}</Table.Th>
            <Table.Th>{t('products.score')}</Table.Th>
            <Table.Th>{t('products.validity')}</Table.Th>
            <Table.Th>{t('common.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                {c.certificate_number}
              </Table.Td>
              <Table.Td>
                {c.decision_number || t('common.none')}
                <Text size="xs" c="dimmed">
                  {formatDate(c.decision_date)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Stars stars={c.stars} />
              </Table.Td>
              <Table.Td>{c.score ?? t('common.none')}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {formatDate(c.valid_from)} – {formatDate(c.valid_to)}
              </Table.Td>
              <Table.Td>
                <CertificateStatusBadge status={c.status} size="xs" />
                {c.status === 'revoked' && (
                  <Text size="xs" c="dimmed" maw={220} style={{ whiteSpace: 'normal' }}>
                    {t('products.revokedBy', {
                      decision: c.revocation_decision ?? t('common.none'),
                      date: formatDate(c.revocation_date),
                    })}
                    {c.revocation_reason ? ` — ${c.revocation_reason}` : ''}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function StampIssues({ productId }: { productId: Product['id'] }) {
  const { t, i18n } = useTranslation();
  const list = useCursorList<StampIssue>(['stamp-issues', productId], (cursor) => listStampIssues(productId, cursor, 20));
  return (
    <CursorListBody
      list={list}
      empty={
        <Text size="sm" c="dimmed" data-testid="no-stamps">
          {t('products.noStamps')}
        </Text>
      }
      minWidth={520}
      testId="stamp-issues"
      tableProps={{ verticalSpacing: 6, fz: 'sm' }}
      columns={[
        t('products.issuedOn'),
        t('products.quantity'),
        t('products.stars'),
        t('products.serials'),
        t('products.note'),
      ]}
      renderRow={(s) => (
        <Table.Tr key={s.id}>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(s.issued_on)}</Table.Td>
          <Table.Td>{s.quantity.toLocaleString(i18n.language)}</Table.Td>
          <Table.Td>
            <Stars stars={s.stars} />
          </Table.Td>
          <Table.Td ff="monospace">
            {s.serial_from || s.serial_to ? `${s.serial_from ?? '…'} – ${s.serial_to ?? '…'}` : t('common.none')}
          </Table.Td>
          <Table.Td>{s.note || t('common.none')}</Table.Td>
        </Table.Tr>
      )}
    />
  );
}

function ProductDetails({ productId }: { productId: Product['id'] }) {
  const { t } = useTranslation();
  const taxonomy = useTaxonomy();
  const product = useQuery({ queryKey: ['product', productId], queryFn: () => getProduct(productId) });
  const producerId = product.data?.producer_id;
  const producer = useQuery({
    queryKey: ['producer', producerId],
    queryFn: () => getProducer(producerId!),
    enabled: producerId != null,
  });

  if (product.isPending) return <PageLoader />;
  if (product.isError) return <ErrorAlert error={product.error} onRetry={() => void product.refetch()} />;
  const p = product.data;
  const cert = p.certificate ?? null;
  const group = taxonomy.data?.groups.find((g) => g.number === p.group_number);
  const set = taxonomy.data?.sets.find((s) => s.number === p.product_set_number);

  return (
    <Stack gap="md" data-testid="product-detail">
      <Group gap="xs" justify="space-between">
        <Group gap="xs">
          <Title order={3} data-testid="product-detail-name">
            {p.name}
          </Title>
          {p.is_sample && <SampleBadge />}
        </Group>
        <Button component={Link} to={`/tuan-thu?sp=${p.id}`} variant="light" size="xs" data-testid="product-compliance">
          {t('compliance.lookup')}
        </Button>
      </Group>

      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Field label={t('products.producer')}>
          {p.producer_name}
          {producer.data && (
            <Text size="xs" c="dimmed">
              {producerKindLabel(t, producer.data.kind)}
              {producer.data.admin_unit_name ? ` · ${producer.data.admin_unit_name}` : ''}
            </Text>
          )}
        </Field>
        <Field label={t('common.status')}>
          <Badge size="sm" variant="light" color={p.status === 'active' ? 'green' : 'gray'}>
            {productStatusLabel(t, p.status)}
          </Badge>
        </Field>
        <Field label={t('products.group')}>
          {p.group_number != null ? `${p.group_number}. ${group?.name ?? ''}` : t('common.none')}
        </Field>
        <Field label={t('products.productSet')}>
          {p.product_set_number != null ? `${p.product_set_number}. ${set?.name ?? ''}` : t('common.none')}
        </Field>
      </SimpleGrid>
      {p.description && (
        <Field label={t('products.description')}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {p.description}
          </Text>
        </Field>
      )}

      <Paper withBorder radius="md" p="sm" bg={cert ? undefined : 'gray.0'}>
        <Text fw={600} size="sm" mb={6}>
          {t('products.currentCertificate')}
        </Text>
        {cert ? (
          <Group gap="lg" wrap="wrap">
            <Field label={t('products.certificateNumber')}>
              <Text ff="monospace" size="sm">
                {cert.certificate_number}
              </Text>
            </Field>
            <Field label={t('products.stars')}>
              <Stars stars={cert.stars} />
            </Field>
            <Field label={t('products.validity')}>
              {formatDate(cert.valid_from)} – {formatDate(cert.valid_to)}
            </Field>
            <Field label={t('common.status')}>
              <CertificateStatusBadge status={cert.status} />
            </Field>
          </Group>
        ) : (
          <CertificateStatusBadge status={null} />
        )}
      </Paper>

      <Divider label={t('products.certificateHistory')} labelPosition="left" />
      <CertificateHistory productId={p.id} />

      <Divider label={t('products.stampIssues')} labelPosition="left" />
      <StampIssues productId={p.id} />
    </Stack>
  );
}

/** Product details in a side drawer: data, current certificate, certificate history and stamp issues. */
export function ProductDrawer({ productId, onClose }: { productId: Product['id'] | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer
      opened={productId != null}
      onClose={onClose}
      position="right"
      size="56rem"
      title={<Text fw={600}>{t('products.detailTitle')}</Text>}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {productId != null && <ProductDetails productId={productId} />}
    </Drawer>
  );
}
