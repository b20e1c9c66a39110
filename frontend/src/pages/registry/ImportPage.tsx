import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  FileInput,
  Group,
  List,
  Paper,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import type { ImportJob, ImportRow } from '../../api/types';
import { CursorListBody } from '../../components/CursorListBody';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { EmptyRows, PageLoader } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { useCursorList } from '../../lib/useCursorList';
import { enumLabel } from './labels';
import {
  isImportActive,
  mergeJob,
  POLL_MS,
  progressPercent,
  summaryOf,
  writtenRows,
  type ImportSummary,
} from './importModel';
import { commitImport, getImport, listImports, uploadImport } from './registryApi';

const ACCEPT = '.xlsx,.csv';
const ROWS_STEP = 200;

const STATUS_COLORS: Record<string, string> = {
  queued: 'gray',
  validating: 'blue',
  ready: 'green',
  invalid: 'red',
  committing: 'blue',
  committed: 'teal',
  failed: 'red',
};
const OUTCOME_COLORS: Record<string, string> = { create: 'green', update: 'blue', unchanged: 'gray', error: 'red' };
const APPLIED_KEYS = ['producers', 'products', 'certificates'] as const;

function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status] ?? 'gray'} variant="light" data-testid="import-status" data-status={status}>
      {enumLabel(t, 'imports.statuses', status)}
    </Badge>
  );
}

function OutcomeBadge({ outcome }: { outcome: string }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" color={OUTCOME_COLORS[outcome] ?? 'gray'} variant={outcome === 'error' ? 'filled' : 'light'}>
      {enumLabel(t, 'imports.outcomes', outcome)}
    </Badge>
  );
}

/** The title above an upload error: 413/415/422 file problems get their own, the body is the server's detail. */
function uploadErrorTitle(t: (k: string) => string, err: unknown): string {
  const code = err instanceof ApiError ? (err.code ?? (err.status === 413 ? 'payload_too_large' : null)) : null;
  const key = `imports.fileErrors.${code}`;
  const label = code ? t(key) : key;
  return label === key ? t('imports.uploadFailed') : label;
}

function SummaryCounts({ summary }: { summary: ImportSummary }) {
  const { t, i18n } = useTranslation();
  const items: [string, number, string][] = [
    ['total', summary.total, 'dark'],
    ['create', summary.create, 'green'],
    ['update', summary.update, 'blue'],
    ['unchanged', summary.unchanged, 'gray'],
    ['error', summary.error, 'red'],
  ];
  return (
    <SimpleGrid cols={{ base: 2, xs: 3, sm: 5 }} spacing="xs" data-testid="import-summary">
      {items.map(([key, count, color]) => (
        <Paper key={key} withBorder radius="sm" p="xs" data-testid={`summary-${key}`} data-count={count}>
          <Text size="xs" c="dimmed">
            {key === 'total' ? t('imports.totalRows') : enumLabel(t, 'imports.outcomes', key)}
          </Text>
          <Text fw={700} size="lg" c={count > 0 ? color : 'dimmed'}>
            {count.toLocaleString(i18n.language)}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

function CommittedNotice({ summary }: { summary: ImportSummary }) {
  const { t } = useTranslation();
  const applied = summary.applied ?? {};
  const n = (k: string) => applied[k] ?? 0;
  return (
    <Alert color="teal" variant="light" title={t('imports.committedTitle', { count: writtenRows(summary) })} data-testid="import-committed">
      <List size="sm" spacing={2}>
        {APPLIED_KEYS.map((k) => (
          <List.Item key={k}>
            {t(`imports.applied.${k}`, { created: n(`${k}_created`), updated: n(`${k}_updated`) })}
          </List.Item>
        ))}
        {summary.unchanged > 0 && <List.Item>{t('imports.unchangedRows', { count: summary.unchanged })}</List.Item>}
      </List>
    </Alert>
  );
}

function RowsTable({ rows }: { rows: ImportRow[] }) {
  const { t } = useTranslation();
  // long lists open on their errors; short ones show every row
  const [show, setShow] = useState<'all' | 'error' | 'warning'>(() =>
    rows.length > ROWS_STEP / 4 && rows.some((r) => r.outcome === 'error') ? 'error' : 'all',
  );
  const [limit, setLimit] = useState(ROWS_STEP);
  const errorCount = rows.filter((r) => r.outcome === 'error').length;
  const warningCount = rows.filter((r) => (r.warnings ?? []).length > 0).length;
  const visible = useMemo(
    () =>
      rows.filter((r) =>
        show === 'error' ? r.outcome === 'error' : show === 'warning' ? (r.warnings ?? []).length > 0 : true,
      ),
    [rows, show],
  );

  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="wrap">
        <Text fw={600}>{t('imports.rowsTitle')}</Text>
        <SegmentedControl
          size="xs"
          value={show}
          onChange={(v) => {
            setShow(v as typeof show);
            setLimit(ROWS_STEP);
          }}
          data={[
            { value: 'all', label: t('imports.showAll', { count: rows.length }) },
            { value: 'error', label: t('imports.showErrors', { count: errorCount }) },
            { value: 'warning', label: t('imports.showWarnings', { count: warningCount }) },
          ]}
          data-testid="import-rows-filter"
        />
      </Group>
      {visible.length === 0 ? (
        <EmptyRows filtered />
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" fz="sm" data-testid="import-rows">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={70}>{t('imports.row')}</Table.Th>
                <Table.Th>{t('imports.product')}</Table.Th>
                <Table.Th>{t('imports.producer')}</Table.Th>
                <Table.Th w={110}>{t('imports.outcome')}</Table.Th>
                <Table.Th>{t('imports.messages')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {visible.slice(0, limit).map((r) => {
                const isError = r.outcome === 'error';
                return (
                  <Table.Tr
                    key={r.row}
                    data-testid={isError ? 'import-row-error' : 'import-row'}
                    data-row={r.row}
                    bg={isError ? 'red.0' : undefined}
                  >
                    <Table.Td>{r.row}</Table.Td>
                    <Table.Td>{r.product || t('common.none')}</Table.Td>
                    <Table.Td>{r.producer || t('common.none')}</Table.Td>
                    <Table.Td>
                      <OutcomeBadge outcome={r.outcome} />
                    </Table.Td>
                    <Table.Td>
                      {(r.errors ?? []).map((e, i) => (
                        <Text key={`e${i}`} size="sm" c="red.8" data-testid="import-error-text">
                          {t('imports.columnError', { column: e.column ?? '', message: e.message ?? '' })}
                        </Text>
                      ))}
                      {(r.warnings ?? []).map((w, i) => (
                        <Text key={`w${i}`} size="xs" c="orange.6" data-testid="import-warning-text">
                          {w}
                        </Text>
                      ))}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {visible.length > limit && (
        <Group justify="center">
          <Button variant="light" size="xs" onClick={() => setLimit((l) => l + ROWS_STEP)}>
            {t('imports.showMoreRows', { count: Math.min(ROWS_STEP, visible.length - limit) })}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function JobPanel({ job, onCommit, committing }: { job: ImportJob; onCommit: () => void; committing: boolean }) {
  const { t } = useTranslation();
  const active = isImportActive(job.status);
  const percent = progressPercent(job);
  const summary = summaryOf(job);
  return (
    <Paper withBorder radius="md" p="md" data-testid="import-job" data-job-id={job.id}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <div>
            <Group gap="xs">
              <Text fw={600}>{job.filename}</Text>
              <StatusBadge status={job.status} />
            </Group>
            <Text size="xs" c="dimmed">
              {t('imports.uploadedAt', { when: formatDateTime(job.created_at) })}
              {' · '}
              {t('imports.rowCount', { count: job.total_rows })}
            </Text>
          </div>
          <Button
            color="green"
            onClick={onCommit}
            disabled={job.status !== 'ready' && !(job.status === 'failed' && summary?.error === 0)}
            loading={committing}
            data-testid="import-commit"
          >
            {t('imports.commit')}
          </Button>
        </Group>

        {active && (
          <div data-testid="import-progress">
            <Group justify="space-between" mb={4}>
              <Text size="sm">{enumLabel(t, 'imports.progress', job.status)}</Text>
              <Text size="sm" c="dimmed">
                {t('imports.processed', { done: job.processed_rows, total: job.total_rows })}
              </Text>
            </Group>
            {/* until the server reports rows done, a full striped bar says "working" */}
            {/* the progressbar role and its name sit on the section (Mantine puts them there); the figures in words */}
            <Progress.Root size="lg" opacity={percent ? 1 : 0.45}>
              <Progress.Section
                value={percent ? percent : 100}
                striped
                animated
                color={job.status === 'committing' ? 'teal' : 'blue'}
                withAria={false}
                role="progressbar"
                aria-label={t('imports.progressLabel')}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={percent ?? undefined}
                aria-valuetext={t('imports.processed', { done: job.processed_rows, total: job.total_rows })}
              />
            </Progress.Root>
          </div>
        )}

        {job.status === 'invalid' && (
          <Alert color="red" variant="light" data-testid="import-invalid">
            {job.error || t('imports.invalidHint')}
          </Alert>
        )}
        {job.status === 'failed' && (
          <Alert color="red" variant="light" title={t('imports.failedTitle')}>
            {job.error || t('errors.unknown')}
          </Alert>
        )}
        {job.status === 'ready' && (
          <Text size="sm" c="green.8">
            {t('imports.readyHint')}
          </Text>
        )}
        {job.status === 'committed' && summary && <CommittedNotice summary={summary} />}

        {summary && <SummaryCounts summary={summary} />}
        {job.rows && job.rows.length > 0 && <RowsTable key={`${job.id}-${job.status}`} rows={job.rows} />}
      </Stack>
    </Paper>
  );
}

function History({ currentId, onOpen }: { currentId: number | null; onOpen: (id: number) => void }) {
  const { t, i18n } = useTranslation();
  const list = useCursorList<ImportJob>(['imports'], (cursor) => listImports(cursor, 20));
  return (
    <Paper withBorder radius="md" p="sm">
      <Title order={3} size="h4" mb="xs">
        {t('imports.history')}
      </Title>
      <CursorListBody
        list={list}
        minWidth={760}
        testId="imports-history"
        tableProps={{ striped: true, highlightOnHover: true, verticalSpacing: 'xs', fz: 'sm' }}
        columns={[
          t('imports.file'),
          t('imports.uploaded'),
          t('common.status'),
          { label: t('imports.totalRows'), ta: 'right' },
          t('imports.result'),
          { ariaLabel: t('common.actions') },
        ]}
        renderRow={(job) => {
          const s = summaryOf(job);
          return (
            <Table.Tr key={job.id} bg={job.id === currentId ? 'green.0' : undefined}>
              <Table.Td>{job.filename}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(job.created_at)}</Table.Td>
              <Table.Td>
                <Badge size="sm" variant="light" color={STATUS_COLORS[job.status] ?? 'gray'}>
                  {enumLabel(t, 'imports.statuses', job.status)}
                </Badge>
              </Table.Td>
              <Table.Td ta="right">{job.total_rows.toLocaleString(i18n.language)}</Table.Td>
              <Table.Td>
                {s
                  ? t('imports.shortSummary', {
                      create: s.create,
                      update: s.update,
                      unchanged: s.unchanged,
                      error: s.error,
                    })
                  : t('common.none')}
              </Table.Td>
              <Table.Td>
                <Button size="compact-sm" variant="subtle" onClick={() => onOpen(job.id)}>
                  {t('imports.open')}
                </Button>
              </Table.Td>
            </Table.Tr>
          );
        }}
      />
    </Paper>
  );
}

export default function ImportPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  const [file, setFile] = useState<File | null>(null);
  const [jobId, setJobId] = useState<number | null>(null);
  const topRef = useRef<HTMLDivElement>(null);

  const job = useQuery({
    queryKey: ['import', jobId],
    queryFn: async () => mergeJob(queryClient.getQueryData<ImportJob>(['import', jobId]), await getImport(jobId!)),
    enabled: jobId != null,
    staleTime: 0,
    refetchInterval: (query) => (isImportActive(query.state.data?.status) ? POLL_MS : false),
  });
  const status = job.data?.status;

  // the history shows statuses too: refresh it whenever the current job settles
  useEffect(() => {
    if (status && !isImportActive(status)) void queryClient.invalidateQueries({ queryKey: ['imports'] });
    if (status === 'committed') {
      void queryClient.invalidateQueries({ queryKey: ['products'] });
      void queryClient.invalidateQueries({ queryKey: ['producers'] });
    }
  }, [status, queryClient]);

  const upload = useMutation({
    mutationFn: (f: File) => uploadImport(f),
    onSuccess: (created) => {
      queryClient.setQueryData(['import', created.id], created);
      setJobId(created.id);
      void queryClient.invalidateQueries({ queryKey: ['imports'] });
    },
  });

  const commit = useMutation({
    mutationFn: (id: number) => commitImport(id),
    onSuccess: (answer) => {
      queryClient.setQueryData<ImportJob>(['import', answer.id], (prev) => mergeJob(prev, answer));
      void queryClient.invalidateQueries({ queryKey: ['import', answer.id] });
    },
    onError: (err, id) => {
      notifications.show({ color: 'red', message: errorMessage(err) });
      void queryClient.invalidateQueries({ queryKey: ['import', id] });
    },
  });

  const onUpload = () => {
    if (!file) return;
    upload.reset();
    upload.mutate(file);
  };

  const openJob = (id: number) => {
    setJobId(id);
    topRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  return (
    <Stack gap="md" ref={topRef}>
      <div>
        <Title order={2}>{t('imports.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('imports.intro')}
        </Text>
      </div>

      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <FileInput
              label={t('imports.file')}
              description={t('imports.fileHint')}
              placeholder={t('imports.choose')}
              accept={ACCEPT}
              value={file}
              onChange={(f) => {
                setFile(f);
                upload.reset();
              }}
              clearable
              w={{ base: '100%', sm: 420 }}
              data-testid="import-file"
            />
            <Button onClick={onUpload} disabled={!file} loading={upload.isPending} data-testid="import-upload">
              {t('imports.upload')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t('imports.columns')}
          </Text>
          {upload.isError && (
            <Alert color="red" variant="light" title={uploadErrorTitle(t, upload.error)} role="alert" data-testid="import-upload-error">
              {errorMessage(upload.error)}
            </Alert>
          )}
        </Stack>
      </Paper>

      {jobId != null && job.data ? (
        <>
          {job.isError && <ErrorAlert error={job.error} onRetry={() => void job.refetch()} />}
          <JobPanel job={job.data} onCommit={() => commit.mutate(job.data.id)} committing={commit.isPending} />
        </>
      ) : jobId != null && job.isError ? (
        <ErrorAlert error={job.error} onRetry={() => void job.refetch()} />
      ) : jobId != null ? (
        <PageLoader />
      ) : null}

      <History currentId={jobId} onOpen={openJob} />
    </Stack>
  );
}
