// "Văn bản": the documents a plan produces (plan, decision, notices, minutes of approved visits, report,
// conclusions), each previewed in the page and downloaded as Word or, where the server can convert, PDF. Those
// who run campaigns issue them with the register's number ("Phát hành"); every issued version stays listed and
// downloadable as issued.
import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  CloseButton,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Campaign } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { DocxPreview } from '../../components/DocxPreview';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/States';
import { saveBlob } from '../../lib/download';
import { formatDateTime } from '../../lib/format';
import { fetchDocument, fetchVersion, useDocuments } from '../documents/documentsApi';
import {
  documentKey,
  groupDocuments,
  isIssuable,
  isPdfUnavailable,
  issuedLabel,
  KIND_CODES,
  KIND_COLORS,
  mayIssueDocuments,
  versionsOf,
  vnDate,
  type DocumentInfo,
  type FileFormat,
  type IssuedVersion,
  type Message,
} from '../documents/model';
import { IssueDocumentDialog } from './IssueDocumentDialog';
import { Section } from './parts';

export function KindBadge({ kind }: { kind: DocumentInfo['kind'] }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={KIND_COLORS[kind]} title={t(`documents.kinds.${kind}`, { defaultValue: kind })} w={44}>
      {KIND_CODES[kind]}
    </Badge>
  );
}

interface RowProps {
  item: DocumentInfo;
  /** Its issued versions, newest first (none: a draft, or a kind that is not issued). */
  versions: IssuedVersion[];
  pdf: boolean;
  previewing: boolean;
  busy: string | null;
  /** The issue action, when this caller may issue this document. */
  onIssue: (() => void) | null;
  onPreview: () => void;
  onDownload: (format: FileFormat) => void;
  onDownloadVersion: (v: IssuedVersion, format: FileFormat) => void;
}

function VersionsTable({
  versions,
  pdf,
  busy,
  onDownload,
}: {
  versions: IssuedVersion[];
  pdf: boolean;
  busy: string | null;
  onDownload: (v: IssuedVersion, format: FileFormat) => void;
}) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing={4} fz="sm" data-testid="document-versions" aria-label={t('documents.issue.versions')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('documents.issue.version')}</Table.Th>
            <Table.Th>{t('documents.issue.number')}</Table.Th>
            <Table.Th>{t('documents.issue.date')}</Table.Th>
            <Table.Th>{t('documents.issue.issuedBy')}</Table.Th>
            <Table.Th>{t('documents.issue.issuedAt')}</Table.Th>
            <Table.Th>{t('documents.issue.note')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.map((v) => (
            <Table.Tr key={v.id} data-testid="document-version" data-version={v.version}>
              <Table.Td>{v.version}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid="document-version-number">
                {v.number}
              </Table.Td>
              <Table.Td>{vnDate(v.date)}</Table.Td>
              <Table.Td>{v.issued_by_name ?? t('common.none')}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v.issued_at)}</Table.Td>
              <Table.Td>{v.note ?? (v.version === 1 ? t('documents.issue.firstIssue') : t('common.none'))}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap" justify="flex-end">
                  <Button
                    size="compact-xs"
                    variant="default"
                    onClick={() => onDownload(v, 'docx')}
                    loading={busy === `v${v.id}:docx`}
                    aria-label={t('documents.issue.downloadVersion', { version: v.version })}
                    data-testid="document-version-docx"
                  >
                    Word
                  </Button>
                  {pdf && (
                    <Button
                      size="compact-xs"
                      variant="default"
                      onClick={() => onDownload(v, 'pdf')}
                      loading={busy === `v${v.id}:pdf`}
                      aria-label={t('documents.issue.downloadVersionPdf', { version: v.version })}
                      data-testid="document-version-pdf"
                    >
                      PDF
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function DocumentRow(props: RowProps) {
  const { item, versions, pdf, previewing, busy, onIssue, onPreview, onDownload, onDownloadVersion } = props;
  const { t } = useTranslation();
  const [showVersions, setShowVersions] = useState(false);
  const tm = (m: Message) => t(m.key, m.values);
  const latest = versions[0] ?? null;
  // a document the register numbers, not numbered yet (minutes freeze instead; they are never drafts)
  const draft = latest === null && item.number == null && (isIssuable(item) || item.kind === 'plan');
  return (
    <Stack
      gap={6}
      py={8}
      data-testid="document-row"
      data-kind={item.kind}
      data-issued={latest ? 'true' : 'false'}
      style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
    >
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="sm" wrap="nowrap" style={{ flex: 1, minWidth: 240 }}>
          <KindBadge kind={item.kind} />
          <div style={{ minWidth: 0 }}>
            <Group gap={6}>
              <Text size="sm" fw={500} data-testid="document-title">
                {item.title}
              </Text>
              {draft && (
                <Badge size="xs" variant="outline" color="gray" title={t('documents.draftHint')} data-testid="document-draft">
                  {t('documents.draft')}
                </Badge>
              )}
            </Group>
            {latest ? (
              <Text size="xs" c="dimmed" data-testid="document-issued">
                {tm(issuedLabel(latest))}
              </Text>
            ) : (
              item.number && (
                <Text size="xs" c="dimmed" data-testid="document-issued">
                  {item.number}
                </Text>
              )
            )}
            {item.frozen_at && (
              <Text size="xs" c="dimmed">
                {t('documents.frozenAt', { at: formatDateTime(item.frozen_at) })}
              </Text>
            )}
          </div>
        </Group>
        <Group gap={6} wrap="wrap">
          {onIssue && (
            <Button
              size="xs"
              variant={latest ? 'light' : 'filled'}
              color={latest ? 'orange' : undefined}
              onClick={onIssue}
              aria-label={t(latest ? 'documents.issue.reissueOf' : 'documents.issue.actionOf', { title: item.title })}
              data-testid="document-issue"
            >
              {t(latest ? 'documents.issue.reissue' : 'documents.issue.action')}
            </Button>
          )}
          {versions.length > 0 && (
            <Button
              size="xs"
              variant="subtle"
              onClick={() => setShowVersions((v) => !v)}
              aria-expanded={showVersions}
              data-testid="document-versions-toggle"
            >
              {showVersions
                ? t('documents.issue.hideVersions')
                : t('documents.issue.showVersions', { count: versions.length })}
            </Button>
          )}
          <Button
            size="xs"
            variant={previewing ? 'filled' : 'light'}
            onClick={onPreview}
            aria-pressed={previewing}
            data-testid="document-preview"
          >
            {t('documents.preview')}
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={() => onDownload('docx')}
            loading={busy === 'docx'}
            disabled={busy === 'pdf'}
            aria-label={t('documents.downloadWordOf', { title: item.title })}
            data-testid="document-docx"
          >
            {t('documents.downloadWord')}
          </Button>
          {pdf && (
            <Button
              size="xs"
              variant="default"
              onClick={() => onDownload('pdf')}
              loading={busy === 'pdf'}
              disabled={busy === 'docx'}
              aria-label={t('documents.downloadPdfOf', { title: item.title })}
              data-testid="document-pdf"
            >
              {t('documents.downloadPdf')}
            </Button>
          )}
        </Group>
      </Group>
      {showVersions && versions.length > 0 && (
        <VersionsTable versions={versions} pdf={pdf} busy={busy} onDownload={onDownloadVersion} />
      )}
    </Stack>
  );
}

function Preview({ item, onClose }: { item: DocumentInfo; onClose: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const file = useQuery({
    queryKey: ['document-file', item.path, 'docx'],
    queryFn: () => fetchDocument(item, 'docx'),
    staleTime: 0,
    gcTime: 60_000,
  });
  useEffect(() => {
    // (a statement: scrollIntoView may return a promise, which must not become the effect's clean-up)
    void ref.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [item.path]);
  const label = t('documents.previewOf', { title: item.title });
  return (
    <Paper withBorder radius="md" p="md" ref={ref} data-testid="document-preview-panel">
      <Group justify="space-between" wrap="nowrap" mb="sm" align="flex-start">
        <Title order={3} size="h4">
          {label}
        </Title>
        <CloseButton onClick={onClose} aria-label={t('documents.closePreview')} data-testid="document-preview-close" />
      </Group>
      {file.isPending ? (
        <PageLoader label={t('documents.loadingFile')} />
      ) : file.isError ? (
        <ErrorAlert error={file.error} onRetry={() => void file.refetch()} />
      ) : (
        <DocxPreview blob={file.data.blob} label={label} />
      )}
    </Paper>
  );
}

export function DocumentsTab({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  const documents = useDocuments(campaign.id);
  const [previewing, setPreviewing] = useState<DocumentInfo | null>(null);
  const [busy, setBusy] = useState<{ key: string; what: string } | null>(null);
  const [issuing, setIssuing] = useState<DocumentInfo | null>(null);
  const mayIssue = mayIssueDocuments(me?.roles);

  if (documents.isPending) return <PageLoader />;
  if (documents.isError) return <ErrorAlert error={documents.error} onRetry={() => void documents.refetch()} />;
  const { items, issued, pdf_available: pdf } = documents.data;
  const groups = groupDocuments(items);

  const save = async (key: string, what: string, get: () => ReturnType<typeof fetchDocument>) => {
    setBusy({ key, what });
    try {
      const file = await get();
      saveBlob(file.blob, file.filename);
    } catch (err) {
      notifications.show({
        color: 'red',
        title: isPdfUnavailable(err) ? t('documents.pdfUnavailableTitle') : t('documents.downloadFailed'),
        message: errorMessage(err),
      });
      // the server has just said it cannot convert: stop offering PDF until the list is reloaded
      if (isPdfUnavailable(err)) void documents.refetch();
    } finally {
      setBusy(null);
    }
  };

  const afterIssue = (doc: DocumentInfo) => {
    // the list (numbers, versions) and a preview of the draft now show the issued file
    void documents.refetch();
    void queryClient.invalidateQueries({ queryKey: ['document-file', doc.path] });
  };
  const issuingVersions = issuing ? versionsOf(issuing, issued) : [];

  return (
    <Stack gap="md">
      <Section title={t('documents.title')} testId="documents">
        <Text size="sm" c="dimmed" mb="sm">
          {t('documents.intro')}
        </Text>
        {!pdf && (
          <Alert color="gray" variant="light" mb="sm" data-testid="pdf-unavailable">
            {t('documents.pdfUnavailable')}
          </Alert>
        )}
        {items.length === 0 ? (
          <Text c="dimmed" ta="center" py="lg" data-testid="empty-state">
            {t('documents.empty')}
          </Text>
        ) : (
          <Stack gap="md">
            {groups.map((g) => (
              <div key={g.kind} data-testid="document-group" data-kind={g.kind}>
                <Text fw={600} size="sm" mb={4}>
                  {t(`documents.groups.${g.kind}`, { defaultValue: g.kind })}
                  {KIND_CODES[g.kind] ? ` (${KIND_CODES[g.kind]})` : ''}
                </Text>
                {g.items.map((item) => {
                  const key = documentKey(item);
                  return (
                    <DocumentRow
                      key={key}
                      item={item}
                      versions={versionsOf(item, issued)}
                      pdf={pdf}
                      previewing={previewing?.path === item.path}
                      busy={busy?.key === key ? busy.what : null}
                      onIssue={mayIssue && isIssuable(item) ? () => setIssuing(item) : null}
                      onPreview={() => setPreviewing(previewing?.path === item.path ? null : item)}
                      onDownload={(format) => void save(key, format, () => fetchDocument(item, format))}
                      onDownloadVersion={(v, format) =>
                        void save(key, `v${v.id}:${format}`, () => fetchVersion(v, format))
                      }
                    />
                  );
                })}
              </div>
            ))}
          </Stack>
        )}
      </Section>
      {previewing && <Preview key={previewing.path} item={previewing} onClose={() => setPreviewing(null)} />}
      <IssueDocumentDialog
        campaignId={campaign.id}
        item={issuing}
        latest={issuingVersions[0] ?? null}
        onClose={() => setIssuing(null)}
        onSettled={afterIssue}
      />
    </Stack>
  );
}
