import { useEffect, useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import { PRODUCER_KINDS, type Campaign, type CampaignUnit, type LocalReport } from '../../api/types';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/States';
import { saveBlob } from '../../lib/download';
import { formatDateTime } from '../../lib/format';
import { enumLabel, producerKindLabel } from '../registry/labels';
import type { CampaignAccess } from './access';
import {
  createReport,
  downloadAttachment,
  reportTransition,
  updateReport,
  uploadAttachment,
  useRefreshCampaign,
  useReports,
  useUnits,
} from './campaignsApi';
import {
  figuresToForm,
  figureTotals,
  formToFigures,
  OTHER_FIGURES,
  REPORT_COLORS,
  reportLate,
  STAR_KEYS,
  vnDate,
  vnToday,
  type Figure,
  type FiguresForm,
} from './model';
import { NoteDialog, Section } from './parts';

const ATTACH_ACCEPT = '.pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png';
const EDITABLE: readonly string[] = ['draft', 'returned'];
const TEXTS = ['results', 'difficulties', 'recommendations'] as const;
type TextField = (typeof TEXTS)[number];

export function ReportStatusBadge({ status, late }: { status: LocalReport['status'] | 'none'; late: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Badge
        color={REPORT_COLORS[status]}
        variant={status === 'none' ? 'outline' : 'light'}
        data-testid="report-status"
        data-status={status}
      >
        {enumLabel(t, 'campaigns.reportStatuses', status)}
      </Badge>
      {late && (
        <Badge color="red" variant="filled" data-testid="report-late">
          {t('campaigns.reports.late')}
        </Badge>
      )}
    </Group>
  );
}

/** One figure: a number input while editing, the value otherwise. */
function FigureInput({
  label,
  value,
  onChange,
  editable,
  decimal,
}: {
  label: string;
  value: Figure;
  onChange: (v: Figure) => void;
  editable: boolean;
  decimal?: boolean;
}) {
  if (!editable) {
    return (
      <div>
        <Text size="xs" c="dimmed">
          {label}
        </Text>
        <Text size="sm" fw={500}>
          {value === '' ? '—' : value.toLocaleString('vi-VN')}
        </Text>
      </div>
    );
  }
  return (
    <NumberInput
      size="xs"
      label={label}
      value={value}
      onChange={(v) => onChange(typeof v === 'number' ? v : '')}
      min={0}
      allowNegative={false}
      allowDecimal={decimal ?? false}
      thousandSeparator="."
      decimalSeparator=","
    />
  );
}

function ReportPanel({
  campaign,
  unit,
  report,
  access,
}: {
  campaign: Campaign;
  unit: CampaignUnit;
  report: LocalReport | null;
  access: CampaignAccess;
}) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const refresh = useRefreshCampaign(campaign.id);
  const [figures, setFigures] = useState<FiguresForm>(() => figuresToForm(report?.figures));
  const [texts, setTexts] = useState<Record<TextField, string>>({ results: '', difficulties: '', recommendations: '' });
  const [missingResults, setMissingResults] = useState(false);
  const [review, setReview] = useState<'accepted' | 'returned' | null>(null);
  const editable = access.writeReport && (!report || EDITABLE.includes(report.status));

  useEffect(() => {
    setFigures(figuresToForm(report?.figures));
    setTexts({
      results: report?.results ?? '',
      difficulties: report?.difficulties ?? '',
      recommendations: report?.recommendations ?? '',
    });
    setMissingResults(false);
    // only another report resets the form: reloads after saving or attaching keep what is typed
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [report?.id]);

  const save = useMutation({
    mutationFn: async (submit: boolean) => {
      const body = {
        figures: formToFigures(figures),
        results: texts.results.trim() || null,
        difficulties: texts.difficulties.trim() || null,
        recommendations: texts.recommendations.trim() || null,
      };
      let saved = report
        ? await updateReport(campaign.id, report, body)
        : await createReport(campaign.id, unit.admin_unit_id, body);
      if (submit) saved = await reportTransition(campaign.id, saved.id, 'submitted');
      return saved;
    },
    onSuccess: (saved) => {
      refresh();
      notifications.show({
        color: 'green',
        message: t(saved.status === 'submitted' ? 'campaigns.reports.submitted' : 'campaigns.reports.saved'),
      });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 412) refresh();
    },
  });
  const decide = useMutation({
    mutationFn: ({ to, note }: { to: 'accepted' | 'returned'; note: string }) =>
      reportTransition(campaign.id, report!.id, to, note),
    onSuccess: (saved) => {
      refresh();
      setReview(null);
      notifications.show({ color: 'green', message: t(`campaigns.reports.${saved.status}`) });
    },
  });
  const attach = useMutation({
    mutationFn: (file: File) => uploadAttachment(campaign.id, report!.id, file),
    onSuccess: (att) => {
      refresh();
      notifications.show({ color: 'green', message: t('campaigns.reports.attached', { name: att.filename }) });
    },
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(err) }),
  });

  const download = async (att: LocalReport['attachments'][number]) => {
    try {
      const file = await downloadAttachment(campaign.id, report!.id, att);
      saveBlob(file.blob, file.filename);
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    }
  };

  const submit = () => {
    const missing = !texts.results.trim();
    setMissingResults(missing);
    if (!missing) save.mutate(true);
  };

  const totals = figureTotals(figures);
  const setGroup = <G extends keyof FiguresForm>(group: G, key: keyof FiguresForm[G], v: Figure) =>
    setFigures((f) => ({ ...f, [group]: { ...f[group], [key]: v } }));
  const canReview =
    report && access.reviewReport && report.allowed_transitions.some((s) => s === 'accepted' || s === 'returned');

  return (
    <Section
      title={t('campaigns.reports.of', { unit: unit.name })}
      testId="report-panel"
      actions={
        <ReportStatusBadge
          status={report?.status ?? 'none'}
          late={reportLate(report, report?.due_date ?? unit.report_due, vnToday())}
        />
      }
    >
      <Stack gap="md">
        <Group gap="lg">
          <Text size="sm">
            {t('campaigns.units.reportDue')}: <b>{vnDate(report?.due_date ?? unit.report_due)}</b>
          </Text>
          {report?.submitted_at && (
            <Text size="sm">
              {t('campaigns.reports.submittedAt')}: <b>{formatDateTime(report.submitted_at)}</b>
            </Text>
          )}
        </Group>
        {report?.review_comment && (
          <Alert
            color={report.status === 'returned' ? 'orange' : 'blue'}
            variant="light"
            title={t('campaigns.reports.reviewComment')}
            data-testid="report-comment"
          >
            {report.review_comment}
          </Alert>
        )}

        <div>
          <Title order={4} size="h5" mb={4}>
            {t('campaigns.reports.productsByStars')}
          </Title>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
            {STAR_KEYS.map((k) => (
              <FigureInput
                key={k}
                label={t('campaigns.reports.stars', { count: Number(k) })}
                value={figures.stars[k]}
                onChange={(v) => setGroup('stars', k, v)}
                editable={editable}
              />
            ))}
            <Text size="sm" pt={editable ? 24 : 16} c="dimmed">
              {t('campaigns.reports.total', { count: totals.products })}
            </Text>
          </SimpleGrid>
        </div>
        <div>
          <Title order={4} size="h5" mb={4}>
            {t('campaigns.reports.producersByKind')}
          </Title>
          <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs">
            {PRODUCER_KINDS.map((k) => (
              <FigureInput
                key={k}
                label={producerKindLabel(t, k)}
                value={figures.kinds[k]}
                onChange={(v) => setGroup('kinds', k, v)}
                editable={editable}
              />
            ))}
            <Text size="sm" pt={editable ? 24 : 16} c="dimmed">
              {t('campaigns.reports.total', { count: totals.producers })}
            </Text>
          </SimpleGrid>
        </div>
        <div>
          <Title order={4} size="h5" mb={4}>
            {t('campaigns.reports.otherFigures')}
          </Title>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
            {OTHER_FIGURES.map((k) => (
              <FigureInput
                key={k}
                label={t(`campaigns.reports.figures.${k}`)}
                value={figures.other[k]}
                onChange={(v) => setGroup('other', k, v)}
                editable={editable}
                decimal={k === 'revenue_million_vnd'}
              />
            ))}
          </SimpleGrid>
        </div>

        {TEXTS.map((field) =>
          editable ? (
            <Textarea
              key={field}
              label={t(`campaigns.reports.${field}`)}
              value={texts[field]}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setTexts((x) => ({ ...x, [field]: v }));
              }}
              error={field === 'results' && missingResults ? t('campaigns.reports.resultsRequired') : undefined}
              required={field === 'results'}
              autosize
              minRows={3}
              data-testid={`report-${field}`}
            />
          ) : (
            <div key={field}>
              <Text size="sm" fw={600}>
                {t(`campaigns.reports.${field}`)}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} c={report?.[field] ? undefined : 'dimmed'}>
                {report?.[field] || t('common.none')}
              </Text>
            </div>
          ),
        )}

        <div>
          <Text size="sm" fw={600}>
            {t('campaigns.reports.attachments')}
          </Text>
          {(report?.attachments ?? []).length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('campaigns.reports.noAttachments')}
            </Text>
          ) : (
            <Stack gap={2}>
              {report!.attachments.map((a) => (
                <Anchor
                  key={a.id}
                  component="button"
                  type="button"
                  size="sm"
                  ta="left"
                  onClick={() => void download(a)}
                  data-testid="report-attachment"
                >
                  {a.filename} ({Math.max(1, Math.round(a.size / 1024))} KB)
                </Anchor>
              ))}
            </Stack>
          )}
          {editable &&
            (report ? (
              <FileInput
                mt="xs"
                w={{ base: '100%', sm: 360 }}
                accept={ATTACH_ACCEPT}
                placeholder={t('campaigns.reports.attach')}
                description={t('campaigns.reports.attachHint')}
                value={null}
                onChange={(file) => file && attach.mutate(file)}
                disabled={attach.isPending}
                clearable={false}
                data-testid="report-attach"
              />
            ) : (
              <Text size="xs" c="dimmed" mt={4}>
                {t('campaigns.reports.attachAfterSave')}
              </Text>
            ))}
        </div>

        <ErrorAlert error={save.error} />
        {editable && (
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() => save.mutate(false)}
              loading={save.isPending && save.variables === false}
              data-testid="report-save"
            >
              {t('campaigns.reports.saveDraft')}
            </Button>
            <Button onClick={submit} loading={save.isPending && save.variables === true} data-testid="report-submit">
              {t('campaigns.reports.submit')}
            </Button>
          </Group>
        )}
        {canReview && (
          <Group justify="flex-end">
            {report!.allowed_transitions.includes('returned') && (
              <Button color="orange" variant="light" onClick={() => setReview('returned')} data-testid="report-return">
                {t('campaigns.reports.return')}
              </Button>
            )}
            {report!.allowed_transitions.includes('accepted') && (
              <Button color="green" onClick={() => setReview('accepted')} data-testid="report-accept">
                {t('campaigns.reports.accept')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
      <NoteDialog
        opened={review !== null}
        onClose={() => setReview(null)}
        title={review ? t(`campaigns.reports.${review === 'accepted' ? 'accept' : 'return'}`) : ''}
        note={review === 'returned' ? 'required' : 'optional'}
        noteLabel={t('campaigns.reports.comment')}
        confirmLabel={review ? t(`campaigns.reports.${review === 'accepted' ? 'accept' : 'return'}`) : ''}
        color={review === 'returned' ? 'orange' : 'green'}
        loading={decide.isPending}
        error={decide.error}
        onConfirm={(note) => review && decide.mutate({ to: review, note })}
      />
    </Section>
  );
}

/** "Báo cáo địa phương": each unit's report with its status and due date; the unit writes it, the department reviews it. */
export function ReportsTab({ campaign, access }: { campaign: Campaign; access: CampaignAccess }) {
  const { t } = useTranslation();
  const units = useUnits(campaign.id);
  const reports = useReports(campaign.id);
  const [openUnit, setOpenUnit] = useState<number | null>(null);

  if (units.isPending || reports.isPending) return <PageLoader />;
  if (units.isError) return <ErrorAlert error={units.error} onRetry={() => void units.refetch()} />;
  if (reports.isError) return <ErrorAlert error={reports.error} onRetry={() => void reports.refetch()} />;
  const today = vnToday();
  const byUnit = new Map(reports.data.map((r) => [r.admin_unit_id, r]));
  const selected =
    units.data.find((u) => u.admin_unit_id === openUnit) ?? (units.data.length === 1 ? units.data[0] : null);

  return (
    <Stack gap="md">
      <Section title={t('campaigns.reports.title')} testId="reports">
        {!access.writeReport && campaign.status === 'draft' && (
          <Text size="sm" c="dimmed" mb="xs">
            {t('campaigns.reports.afterIssue')}
          </Text>
        )}
        {units.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('campaigns.units.none')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="xs" fz="sm" highlightOnHover data-testid="reports-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('campaigns.units.unit')}</Table.Th>
                  <Table.Th>{t('campaigns.units.reportDue')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                  <Table.Th>{t('campaigns.reports.submittedAt')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {units.data.map((u) => {
                  const r = byUnit.get(u.admin_unit_id) ?? null;
                  const due = r?.due_date ?? u.report_due;
                  const canWrite = access.writeReport && (!r || EDITABLE.includes(r.status));
                  return (
                    <Table.Tr key={u.admin_unit_id} data-testid="report-row" data-unit={u.name}>
                      <Table.Td fw={500}>{u.name}</Table.Td>
                      <Table.Td>{vnDate(due)}</Table.Td>
                      <Table.Td>
                        <ReportStatusBadge status={r?.status ?? 'none'} late={reportLate(r, due, today)} />
                      </Table.Td>
                      <Table.Td>{r?.submitted_at ? formatDateTime(r.submitted_at) : t('common.none')}</Table.Td>
                      <Table.Td ta="right">
                        <Button
                          size="compact-xs"
                          variant={selected?.admin_unit_id === u.admin_unit_id ? 'filled' : 'light'}
                          onClick={() => setOpenUnit(u.admin_unit_id)}
                          data-testid="report-open"
                        >
                          {r
                            ? canWrite
                              ? t('campaigns.reports.edit')
                              : t('campaigns.reports.view')
                            : canWrite
                              ? t('campaigns.reports.create')
                              : t('campaigns.reports.view')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>
      {selected && (
        <ReportPanel
          key={selected.admin_unit_id}
          campaign={campaign}
          unit={selected}
          report={byUnit.get(selected.admin_unit_id) ?? null}
          access={access}
        />
      )}
    </Stack>
  );
}
