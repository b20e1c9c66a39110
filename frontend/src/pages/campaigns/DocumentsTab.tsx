// "Văn bản": the documents a plan produces (plan, notices, minutes of approved visits, report), each
// previewed in the page and downloaded as Word or, where the server can convert, PDF.
import { useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, CloseButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Campaign } from '../../api/types';
import { DocxPreview } from '../../components/DocxPreview';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/States';
import { saveBlob } from '../../lib/download';
import { formatDateTime } from '../../lib/format';
import { fetchDocument, useDocuments } from '../documents/documentsApi';
import {
  documentKey,
  groupDocuments,
  isPdfUnavailable,
  KIND_CODES,
  KIND_COLORS,
  type DocumentInfo,
  type FileFormat,
} from '../documents/model';
import { Section } from './parts';

export function KindBadge({ kind }: { kind: DocumentInfo['kind'] }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={KIND_COLORS[kind]} title={t(`documents.kinds.${kind}`)} w={44}>
      {KIND_CODES[kind]}
    </Badge>
  );
}

interface RowProps {
  item: DocumentInfo;
  pdf: boolean;
  previewing: boolean;
  busy: FileFormat | null;
  onPreview: () => void;
  onDownload: (format: FileFormat) => void;
}

function DocumentRow({ item, pdf, previewing, busy, onPreview, onDownload }: RowProps) {
  const { t } = useTranslation();
  return (
    <Group
      justify="space-between"
      wrap="wrap"
      gap="xs"
      py={8}
      data-testid="document-row"
      data-kind={item.kind}
      style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
    >
      <Group gap="sm" wrap="nowrap" style={{ flex: 1, minWidth: 240 }}>
        <KindBadge kind={item.kind} />
        <div style={{ minWidth: 0 }}>
          <Text size="sm" fw={500} data-testid="document-title">
            {item.title}
          </Text>
          {item.frozen_at && (
            <Text size="xs" c="dimmed">
              {t('documents.frozenAt', { at: formatDateTime(item.frozen_at) })}
            </Text>
          )}
        </div>
      </Group>
      <Group gap={6} wrap="nowrap">
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
  const errorMessage = useErrorMessage();
  const documents = useDocuments(campaign.id);
  const [previewing, setPreviewing] = useState<DocumentInfo | null>(null);
  const [busy, setBusy] = useState<{ key: string; format: FileFormat } | null>(null);

  if (documents.isPending) return <PageLoader />;
  if (documents.isError) return <ErrorAlert error={documents.error} onRetry={() => void documents.refetch()} />;
  const { items, pdf_available: pdf } = documents.data;
  const groups = groupDocuments(items);

  const download = async (item: DocumentInfo, format: FileFormat) => {
    setBusy({ key: documentKey(item), format });
    try {
      const file = await fetchDocument(item, format);
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
                  {t(`documents.groups.${g.kind}`)} ({KIND_CODES[g.kind]})
                </Text>
                {g.items.map((item) => (
                  <DocumentRow
                    key={documentKey(item)}
                    item={item}
                    pdf={pdf}
                    previewing={previewing?.path === item.path}
                    busy={busy?.key === documentKey(item) ? busy.format : null}
                    onPreview={() => setPreviewing(previewing?.path === item.path ? null : item)}
                    onDownload={(format) => void download(item, format)}
                  />
                ))}
              </div>
            ))}
          </Stack>
        )}
      </Section>
      {previewing && <Preview key={previewing.path} item={previewing} onClose={() => setPreviewing(null)} />}
    </Stack>
  );
}
