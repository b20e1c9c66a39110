// "Mẫu văn bản" (administrators): per kind of document (KH, TB, BB, BC) the template in use, its
// uploaded versions, a new upload, the way back to the built-in template, and a preview filled with
// a real plan's data (a visit's for minutes).
import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  CloseButton,
  FileInput,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import { CursorListBody } from '../../components/CursorListBody';
import { DocxPreview } from '../../components/DocxPreview';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/States';
import { saveBlob, type DownloadedFile } from '../../lib/download';
import { formatDateTime } from '../../lib/format';
import { useCursorList } from '../../lib/useCursorList';
import { campaignKeys, listCampaigns, listUnits, listVisits } from '../campaigns/campaignsApi';
import { vnDate, vnParts } from '../campaigns/model';
import {
  activateTemplate,
  documentKeys,
  downloadDefaultTemplate,
  downloadTemplate,
  listTemplates,
  previewTemplate,
  restoreDefaultTemplate,
  uploadTemplate,
  useTemplateKinds,
} from './documentsApi';
import {
  defaultPreviewCampaign,
  DOCUMENT_KINDS,
  fileSize,
  isDocx,
  KIND_CODES,
  KIND_COLORS,
  previewProblem,
  type PreviewSource,
  type TemplateKind,
  type TemplateKindRead,
  type TemplateRead,
} from './model';

const KIND_PARAM = 'loai';
const NOTE_MAX = 2000;

function useLocale() {
  const { i18n } = useTranslation();
  return i18n.language.startsWith('vi') ? 'vi-VN' : 'en-GB';
}

function useSave() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  return async (get: () => Promise<DownloadedFile>) => {
    try {
      const file = await get();
      saveBlob(file.blob, file.filename);
    } catch (err) {
      notifications.show({ color: 'red', title: t('documents.downloadFailed'), message: errorMessage(err) });
    }
  };
}

/** "Phiên bản 3" or "Mẫu mặc định". */
function InUse({ kind }: { kind: TemplateKindRead }) {
  const { t } = useTranslation();
  return kind.active ? (
    <Badge color="green" variant="light" data-testid="template-in-use" data-version={kind.active.version}>
      {t('templates.version', { version: kind.active.version })}
    </Badge>
  ) : (
    <Badge color="gray" variant="light" data-testid="template-in-use" data-version="default">
      {t('templates.default')}
    </Badge>
  );
}

function KindsTable({ kinds, onChoose }: { kinds: TemplateKindRead[]; onChoose: (k: TemplateKind) => void }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="sm">
      <Table.ScrollContainer minWidth={560}>
        <Table verticalSpacing="xs" data-testid="template-kinds">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('templates.kind')}</Table.Th>
              <Table.Th>{t('templates.code')}</Table.Th>
              <Table.Th>{t('templates.inUse')}</Table.Th>
              <Table.Th ta="right">{t('templates.versions')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {kinds.map((k) => (
              <Table.Tr key={k.kind} data-testid="template-kind-row" data-kind={k.kind}>
                <Table.Td fw={500}>{t(`templates.kinds.${k.kind}`)}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={KIND_COLORS[k.kind]}>
                    {KIND_CODES[k.kind]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <InUse kind={k} />
                </Table.Td>
                <Table.Td ta="right">{k.versions}</Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="xs"
                    variant="subtle"
                    onClick={() => onChoose(k.kind)}
                    aria-label={t('templates.manageOf', { kind: t(`templates.kinds.${k.kind}`) })}
                  >
                    {t('templates.manage')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

// ---- preview -----------------------------------------------------------------------------------

interface PreviewPanelProps {
  kind: TemplateKind;
  versions: TemplateRead[];
  /** The file chosen in the upload form, not uploaded yet. */
  pending: File | null;
  source: PreviewSource;
  onSource: (s: PreviewSource) => void;
  /** Bumped to ask for a preview from outside (a version's or the upload form's button). */
  trigger: number;
}

function useCampaignOptions() {
  return useQuery({
    queryKey: [...campaignKeys.list, 'options'],
    queryFn: async () => (await listCampaigns({}, undefined, 200)).items,
    staleTime: 5 * 60_000,
  });
}

function sourceValue(s: PreviewSource): string {
  return s.type === 'version' ? `v${s.id}` : s.type;
}

function PreviewPanel({ kind, versions, pending, source, onSource, trigger }: PreviewPanelProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const campaigns = useCampaignOptions();
  const [campaignId, setCampaignId] = useState<number | null>(null);
  const [visitId, setVisitId] = useState<number | null>(null);
  const [unitId, setUnitId] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // the same cache entries as the plan's own tabs
  const visits = useQuery({
    queryKey: campaignKeys.part(campaignId ?? 0, 'visits'),
    queryFn: () => listVisits(campaignId!),
    enabled: campaignId != null && kind === 'minutes',
  });
  const units = useQuery({
    queryKey: campaignKeys.part(campaignId ?? 0, 'units'),
    queryFn: () => listUnits(campaignId!),
    enabled: campaignId != null && (kind === 'notice' || kind === 'conclusion'),
  });
  const preview = useMutation({ mutationFn: previewTemplate });

  // a plan to fill the template with from the start
  const firstCampaign = defaultPreviewCampaign(campaigns.data ?? []);
  useEffect(() => {
    if (campaignId == null && firstCampaign != null) setCampaignId(firstCampaign);
  }, [campaignId, firstCampaign]);
  // for minutes, an approved visit when there is one (its minutes exist for real)
  const visitList = campaignId != null ? (visits.data ?? []) : [];
  useEffect(() => {
    if (kind !== 'minutes' || visitId != null || visitList.length === 0) return;
    const approved = visitList.find((v) => v.status === 'approved' || v.status === 'locked');
    setVisitId((approved ?? visitList[0]).id);
  }, [kind, visitId, visitList]);

  const run = (s: PreviewSource = source) => {
    const request = { kind, campaignId, visitId, unitId, source: s };
    const missing = previewProblem(request);
    setProblem(missing);
    if (!missing) preview.mutate(request);
  };

  // a version's or the upload form's "Xem trước"
  const lastTrigger = useRef(trigger);
  useEffect(() => {
    if (trigger === lastTrigger.current) return;
    lastTrigger.current = trigger;
    ref.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    run(source);
  }, [trigger]); // only when asked from outside

  const sources = [
    { value: 'active', label: t('templates.preview.active') },
    ...versions.map((v) => ({ value: `v${v.id}`, label: t('templates.version', { version: v.version }) })),
    ...(pending ? [{ value: 'file', label: t('templates.preview.pendingFile', { name: pending.name }) }] : []),
  ];
  const chooseSource = (value: string | null) => {
    if (value === 'file' && pending) onSource({ type: 'file', file: pending });
    else if (value?.startsWith('v')) onSource({ type: 'version', id: Number(value.slice(1)) });
    else onSource({ type: 'active' });
  };
  const label = t('templates.preview.of', { kind: t(`templates.kinds.${kind}`) });

  return (
    <Paper withBorder radius="md" p="md" ref={ref} data-testid="template-preview-panel">
      <Title order={3} size="h4" mb="xs">
        {t('templates.preview.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('templates.preview.hint')}
      </Text>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('templates.preview.campaign')}
          data={(campaigns.data ?? []).map((c) => ({ value: String(c.id), label: `${c.year} — ${c.title}` }))}
          value={campaignId != null ? String(campaignId) : null}
          onChange={(v) => {
            setCampaignId(v ? Number(v) : null);
            setVisitId(null);
            setUnitId(null);
          }}
          searchable
          nothingFoundMessage={t('common.empty')}
          w={{ base: '100%', sm: 320 }}
          data-testid="preview-campaign"
        />
        {kind === 'minutes' && (
          <Select
            label={t('templates.preview.visit')}
            data={visitList.map((v) => {
              const at = vnParts(v.starts_at);
              return { value: String(v.id), label: `${vnDate(at.date)} ${at.time} — ${v.place}` };
            })}
            value={visitId != null ? String(visitId) : null}
            onChange={(v) => setVisitId(v ? Number(v) : null)}
            nothingFoundMessage={t('templates.preview.noVisits')}
            w={{ base: '100%', sm: 320 }}
            data-testid="preview-visit"
          />
        )}
        {(kind === 'notice' || kind === 'conclusion') && (
          <Select
            label={t('templates.preview.unit')}
            placeholder={kind === 'notice' ? t('templates.preview.allUnits') : undefined}
            data={(units.data ?? []).map((u) => ({ value: String(u.admin_unit_id), label: u.name }))}
            value={unitId != null ? String(unitId) : null}
            onChange={(v) => setUnitId(v ? Number(v) : null)}
            clearable={kind === 'notice'}
            w={{ base: '100%', sm: 260 }}
            data-testid="preview-unit"
          />
        )}
        <Select
          label={t('templates.preview.source')}
          data={sources}
          value={sourceValue(source)}
          onChange={chooseSource}
          allowDeselect={false}
          w={{ base: '100%', sm: 220 }}
          data-testid="preview-source"
        />
        <Button onClick={() => run()} loading={preview.isPending} data-testid="preview-run">
          {t('templates.preview.run')}
        </Button>
      </Group>
      {problem && (
        <Alert color="yellow" variant="light" mt="sm">
          {t(problem)}
        </Alert>
      )}
      {preview.isError && (
        <Stack mt="sm">
          <ErrorAlert error={preview.error} title={t('templates.preview.failed')} />
        </Stack>
      )}
      {preview.data && !preview.isPending && (
        <Stack gap="xs" mt="md">
          <Group justify="flex-end">
            <CloseButton onClick={() => preview.reset()} aria-label={t('documents.closePreview')} />
          </Group>
          <DocxPreview blob={preview.data} label={label} testId="template-preview" />
        </Stack>
      )}
    </Paper>
  );
}

// ---- upload --------------------------------------------------------------------------------------

function UploadForm({
  kind,
  file,
  onFile,
  onPreview,
}: {
  kind: TemplateKind;
  file: File | null;
  onFile: (f: File | null) => void;
  onPreview: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [activate, setActivate] = useState(true);
  const [fileError, setFileError] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: () => uploadTemplate(kind, file!, note.trim() || null, activate),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: documentKeys.templates });
      onFile(null);
      setNote('');
      notifications.show({
        color: 'green',
        message: t(saved.active ? 'templates.uploadedActive' : 'templates.uploaded', { version: saved.version }),
      });
    },
  });
  const noteError =
    upload.error instanceof ApiError && upload.error.status === 422
      ? upload.error.problem?.errors?.find((e) => e.loc.includes('note'))?.msg
      : undefined;

  const submit = () => {
    if (!file) {
      setFileError(t('templates.fileRequired'));
      return;
    }
    if (!isDocx(file)) {
      setFileError(t('templates.docxOnly'));
      return;
    }
    upload.mutate();
  };

  return (
    <Paper withBorder radius="md" p="md" data-testid="template-upload-form">
      <Title order={3} size="h4" mb="xs">
        {t('templates.uploadTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('templates.uploadHint')}
      </Text>
      <Stack gap="sm">
        <FileInput
          label={t('templates.file')}
          placeholder={t('templates.filePlaceholder')}
          accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
          value={file}
          onChange={(f) => {
            onFile(f);
            setFileError(f && !isDocx(f) ? t('templates.docxOnly') : null);
            upload.reset();
          }}
          clearable
          required
          error={fileError}
          data-testid="template-file"
        />
        <Textarea
          label={t('templates.note')}
          placeholder={t('templates.notePlaceholder')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          maxLength={NOTE_MAX}
          autosize
          minRows={2}
          error={noteError}
          data-testid="template-note"
        />
        <Checkbox
          label={t('templates.activate')}
          checked={activate}
          onChange={(e) => setActivate(e.currentTarget.checked)}
          data-testid="template-activate"
        />
        {upload.isError && !noteError && (
          <ErrorAlert error={upload.error} title={t('templates.uploadFailed')} />
        )}
        <Group gap="xs">
          <Button onClick={submit} loading={upload.isPending} data-testid="template-upload">
            {t('templates.upload')}
          </Button>
          <Button
            variant="default"
            onClick={onPreview}
            disabled={!file || !isDocx(file)}
            data-testid="template-preview-file"
          >
            {t('templates.previewFile')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

// ---- one kind --------------------------------------------------------------------------------

function KindPanel({ kind }: { kind: TemplateKindRead }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const save = useSave();
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<File | null>(null);
  const [source, setSource] = useState<PreviewSource>({ type: 'active' });
  const [trigger, setTrigger] = useState(0);
  const versions = useCursorList<TemplateRead>(documentKeys.versions(kind.kind), (cursor) =>
    listTemplates(kind.kind, cursor, 50),
  );
  const refresh = () => void queryClient.invalidateQueries({ queryKey: documentKeys.templates });
  const onError = (err: unknown) => notifications.show({ color: 'red', message: errorMessage(err) });

  const activate = useMutation({
    mutationFn: activateTemplate,
    onSuccess: (v) => {
      refresh();
      notifications.show({ color: 'green', message: t('templates.activated', { version: v.version }) });
    },
    onError,
  });
  const useDefault = useMutation({
    mutationFn: () => restoreDefaultTemplate(kind.kind),
    onSuccess: () => {
      refresh();
      notifications.show({ color: 'green', message: t('templates.defaultRestored') });
    },
    onError,
  });

  // the file chosen goes away (uploaded or cleared): stop previewing it
  const choosePending = (f: File | null) => {
    setPending(f);
    if (!f && source.type === 'file') setSource({ type: 'active' });
  };
  const previewWith = (s: PreviewSource) => {
    setSource(s);
    setTrigger((n) => n + 1);
  };

  return (
    <Stack gap="md" data-testid="template-kind-panel" data-kind={kind.kind}>
      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" wrap="wrap" gap="sm" align="flex-start">
          <div>
            <Text size="sm" c="dimmed">
              {t('templates.inUse')}
            </Text>
            <Group gap="xs" mt={4}>
              <InUse kind={kind} />
              {kind.active && (
                <Text size="sm">
                  {kind.active.filename} · {formatDateTime(kind.active.created_at)}
                </Text>
              )}
            </Group>
            {!kind.active && (
              <Text size="sm" mt={4}>
                {t('templates.defaultHint')}
              </Text>
            )}
          </div>
          <Group gap="xs">
            <Button
              variant="default"
              onClick={() => void save(() => downloadDefaultTemplate(kind.kind))}
              data-testid="template-download-default"
            >
              {t('templates.downloadDefault')}
            </Button>
            {kind.active && (
              <Button
                variant="light"
                color="orange"
                onClick={() => useDefault.mutate()}
                loading={useDefault.isPending}
                data-testid="template-use-default"
              >
                {t('templates.useDefault')}
              </Button>
            )}
          </Group>
        </Group>
      </Paper>

      <Paper withBorder radius="md" p="md">
        <Title order={3} size="h4" mb="sm">
          {t('templates.versionsTitle')}
        </Title>
        <CursorListBody
          list={versions}
          minWidth={760}
          testId="template-versions"
          empty={
            <Text c="dimmed" ta="center" py="md" data-testid="empty-state">
              {t('templates.noVersions')}
            </Text>
          }
          columns={[
            t('templates.versionCol'),
            t('templates.file'),
            t('templates.note'),
            { label: t('templates.size'), ta: 'right' },
            t('templates.uploadedAt'),
            t('common.status'),
            { ariaLabel: t('common.actions') },
          ]}
          renderRow={(v) => (
            <Table.Tr key={v.id} data-testid="template-version-row" data-active={v.active}>
              <Table.Td>{v.version}</Table.Td>
              <Table.Td>
                <Text size="sm" style={{ wordBreak: 'break-all' }}>
                  {v.filename}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" maw={260}>
                  {v.note || t('common.none')}
                </Text>
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {fileSize(v.size, locale)}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v.created_at)}</Table.Td>
              <Table.Td>
                {v.active ? (
                  <Badge color="green" variant="light">
                    {t('templates.active')}
                  </Badge>
                ) : (
                  <Badge color="gray" variant="outline">
                    {t('templates.inactive')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap" justify="flex-end">
                  {!v.active && (
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => activate.mutate(v.id)}
                      loading={activate.isPending && activate.variables === v.id}
                      data-testid="template-activate-version"
                    >
                      {t('templates.activateVersion')}
                    </Button>
                  )}
                  <Button size="xs" variant="default" onClick={() => void save(() => downloadTemplate(v))}>
                    {t('templates.download')}
                  </Button>
                  <Button size="xs" variant="subtle" onClick={() => previewWith({ type: 'version', id: v.id })}>
                    {t('documents.preview')}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          )}
        />
      </Paper>

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <UploadForm
          kind={kind.kind}
          file={pending}
          onFile={choosePending}
          onPreview={() => pending && previewWith({ type: 'file', file: pending })}
        />
        <Paper withBorder radius="md" p="md">
          <Title order={3} size="h4" mb="xs">
            {t('templates.howTitle')}
          </Title>
          <Text size="sm">{t('templates.how1')}</Text>
          <Text size="sm" mt={6}>
            {t('templates.how2')}
          </Text>
          <Text size="sm" mt={6}>
            {t('templates.how3')}
          </Text>
        </Paper>
      </SimpleGrid>

      <PreviewPanel
        kind={kind.kind}
        versions={versions.items}
        pending={pending}
        source={source}
        onSource={setSource}
        trigger={trigger}
      />
    </Stack>
  );
}

export default function TemplatesPage() {
  const { t } = useTranslation();
  const kinds = useTemplateKinds();
  const [params, setParams] = useSearchParams();
  const asked = params.get(KIND_PARAM);
  const current: TemplateKind = (DOCUMENT_KINDS as readonly string[]).includes(asked ?? '')
    ? (asked as TemplateKind)
    : 'plan';
  const choose = (k: TemplateKind) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set(KIND_PARAM, k);
        return next;
      },
      { replace: true },
    );

  return (
    <Stack gap="md" maw={1280}>
      <div>
        <Title order={2}>{t('templates.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('templates.intro')}
        </Text>
      </div>
      {kinds.isPending ? (
        <PageLoader />
      ) : kinds.isError ? (
        <ErrorAlert error={kinds.error} onRetry={() => void kinds.refetch()} />
      ) : (
        <>
          {!kinds.data.pdf_available && (
            <Alert color="gray" variant="light" data-testid="pdf-unavailable">
              {t('templates.pdfUnavailable')}
            </Alert>
          )}
          <KindsTable kinds={kinds.data.items} onChoose={choose} />
          <Tabs value={current} onChange={(v) => v && choose(v as TemplateKind)} keepMounted={false}>
            <Tabs.List mb="md">
              {kinds.data.items.map((k) => (
                <Tabs.Tab key={k.kind} value={k.kind} data-testid={`template-tab-${k.kind}`}>
                  {t(`templates.kinds.${k.kind}`)} ({KIND_CODES[k.kind]})
                </Tabs.Tab>
              ))}
            </Tabs.List>
            {kinds.data.items.map((k) => (
              <Tabs.Panel key={k.kind} value={k.kind}>
                <KindPanel kind={k} />
              </Tabs.Panel>
            ))}
          </Tabs>
        </>
      )}
    </Stack>
  );
}
