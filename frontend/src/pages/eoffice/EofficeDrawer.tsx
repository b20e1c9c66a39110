// One package of the e-office: its header as the sender wrote it, where it stands and what it became, its
// attachments, and for a package waiting in the inbox the routing actions.
import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Divider, Drawer, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { PageLoader } from '../../components/States';
import { saveBlob } from '../../lib/download';
import { formatDate, formatDateTime } from '../../lib/format';
import { useAgencyList } from '../../lib/useAgencies';
import { fileSize } from '../documents/model';
import { downloadAttachment, getCampaignSummary, useEofficeDocument } from './eofficeApi';
import {
  documentNumber,
  headerFields,
  routingActions,
  senderAgency,
  typeCodes,
  waitingReason,
  type EofficeAttachment,
  type EofficeDetail,
} from './model';
import { KindBadge, StateBadge } from './parts';
import { RouteActions } from './RouteActions';

function CampaignLink({ id }: { id: number }) {
  const campaign = useQuery({
    queryKey: ['eoffice', 'campaign', id],
    queryFn: () => getCampaignSummary(id),
    staleTime: 5 * 60_000,
  });
  const title = campaign.data
    ? [campaign.data.document_number, campaign.data.title].filter(Boolean).join(' — ')
    : `#${id}`;
  return (
    <Anchor component={Link} to={`/ke-hoach/${id}`} size="sm" data-testid="eoffice-campaign-link">
      {title}
    </Anchor>
  );
}

function Attachments({ doc }: { doc: EofficeDetail }) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const [busy, setBusy] = useState<number | null>(null);
  if (doc.attachments.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="eoffice-no-attachments">
        {t('eoffice.detail.noAttachments')}
      </Text>
    );
  }
  const download = async (att: EofficeAttachment) => {
    setBusy(att.n);
    try {
      const file = await downloadAttachment(doc.id, att);
      saveBlob(file.blob, file.filename);
    } catch (err) {
      notifications.show({ color: 'red', title: t('eoffice.detail.downloadFailed'), message: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  };
  return (
    <Table verticalSpacing={6} fz="sm" data-testid="eoffice-attachments">
      <Table.Tbody>
        {doc.attachments.map((att) => (
          <Table.Tr key={att.n} data-testid="eoffice-attachment">
            <Table.Td style={{ wordBreak: 'break-all' }}>
              <Anchor
                component="button"
                type="button"
                size="sm"
                ta="left"
                onClick={() => void download(att)}
                disabled={busy === att.n}
                aria-label={t('eoffice.detail.downloadOf', { name: att.name })}
                data-testid="eoffice-attachment-download"
              >
                {att.name}
              </Anchor>
            </Table.Td>
            <Table.Td c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {fileSize(att.size, i18n.language)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Details({ id }: { id: number }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const query = useEofficeDocument(id);
  const agencies = useAgencyList();
  if (query.isPending) return <PageLoader />;
  if (query.isError) {
    return (
      <Stack>
        <ErrorAlert error={query.error} />
        <Group>
          <Button size="xs" variant="outline" onClick={() => void query.refetch()}>
            {t('common.retry')}
          </Button>
        </Group>
      </Stack>
    );
  }
  const doc = query.data;
  const header = headerFields(doc.header);
  const sender = senderAgency(agencies.data, doc.sender_code);
  const senderMapped = sender === undefined ? undefined : sender !== null;
  const actions = routingActions(doc, me?.roles, senderMapped);
  const why = waitingReason(doc, sender);
  const number = documentNumber(doc, header);
  const codes = typeCodes(doc);

  return (
    <Stack gap="md" data-testid="eoffice-detail" data-state={doc.state}>
      <Stack gap={6}>
        <Group gap="xs">
          <StateBadge state={doc.state} size="md" />
          <KindBadge kind={doc.kind} />
          <Badge color="gray" variant="light" size="sm">
            {t(`eoffice.directions.${doc.direction}`)}
          </Badge>
          {header.signed && (
            <Badge color="teal" variant="dot" size="sm" data-testid="eoffice-signed">
              {t('eoffice.detail.signed')}
            </Badge>
          )}
        </Group>
        <Title order={3} size="h4" data-testid="eoffice-subject">
          {doc.subject}
        </Title>
      </Stack>

      {why && (
        <Alert color="orange" variant="light" title={t('eoffice.detail.waitingTitle')} data-testid="eoffice-why">
          {t(why.key, why.values)}
        </Alert>
      )}
      {doc.state === 'dismissed' && (
        <Alert color="gray" variant="light" title={t('eoffice.detail.dismissedTitle')} data-testid="eoffice-reason">
          {doc.reason || t('common.none')}
        </Alert>
      )}

      <RouteActions doc={doc} actions={actions} sender={sender} agencies={agencies.data} />

      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
        <Field label={t('eoffice.fields.sender')}>
          <span data-testid="eoffice-sender">{doc.sender_name || t('common.none')}</span>
          <Text size="xs" c="dimmed" ff="monospace" data-testid="eoffice-sender-code">
            {doc.sender_code}
          </Text>
          {sender && (
            <Text size="xs" c="dimmed" data-testid="eoffice-sender-agency">
              {t('eoffice.detail.senderIs', { agency: sender.name })}
            </Text>
          )}
        </Field>
        {doc.direction === 'out' ? (
          <Field label={t('eoffice.fields.receivers')}>
            {header.receivers.length
              ? header.receivers.map((r) => r.name || r.code).join('; ')
              : t('common.none')}
          </Field>
        ) : (
          <Field label={t('eoffice.fields.receivedAt')}>{formatDateTime(doc.received_at)}</Field>
        )}
        <Field label={t('eoffice.fields.number')}>
          <span data-testid="eoffice-number">{number || t('common.none')}</span>
        </Field>
        <Field label={t('eoffice.fields.date')}>
          <span data-testid="eoffice-date">{formatDate(header.promulgationDate)}</span>
          {header.place && (
            <Text size="xs" c="dimmed">
              {header.place}
            </Text>
          )}
        </Field>
        <Field label={t('eoffice.fields.type')}>
          <span data-testid="eoffice-type-name">{doc.type_name || t(`eoffice.kinds.${doc.kind}`, doc.kind)}</span>
          {codes && (
            <Text size="xs" c="dimmed">
              {t('eoffice.detail.typeCodes', { codes })}
            </Text>
          )}
        </Field>
        <Field label={t('eoffice.fields.signer')}>{header.signer || t('common.none')}</Field>
        <Field label={t('eoffice.fields.campaign')}>
          {doc.campaign_id != null ? <CampaignLink id={doc.campaign_id} /> : t('eoffice.detail.noCampaign')}
        </Field>
        {doc.direction === 'out' && (
          <Field label={t('eoffice.fields.sentAt')}>{formatDateTime(doc.received_at)}</Field>
        )}
        {doc.response_for && <Field label={t('eoffice.fields.responseFor')}>{doc.response_for}</Field>}
        <Field label={t('eoffice.fields.documentId')}>
          <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {doc.document_id}
          </Text>
        </Field>
      </SimpleGrid>

      {header.content && (
        <Field label={t('eoffice.fields.content')}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {header.content}
          </Text>
        </Field>
      )}
      {header.toPlaces.length > 0 && (
        <Field label={t('eoffice.fields.toPlaces')}>{header.toPlaces.join('; ')}</Field>
      )}

      <Divider label={t('eoffice.detail.attachments', { count: doc.attachments.length })} labelPosition="left" />
      <Attachments doc={doc} />
    </Stack>
  );
}

/** The package `id` in a drawer (closed when null). */
export function EofficeDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer
      opened={id != null}
      onClose={onClose}
      position="right"
      size="48rem"
      title={<Text fw={600}>{t('eoffice.detail.title')}</Text>}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {id != null && <Details id={id} />}
    </Drawer>
  );
}
