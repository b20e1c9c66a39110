// "Lượt kiểm tra": one visit as the team records it on site (a tablet): the plan, the workflow
// buttons, the record, the checklist with photos, and the findings once submitted. Everything typed
// is kept on the device first (see useVisitSync) so that a dropped connection loses nothing.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import type { Visit, VisitRecord } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageMessage } from '../../components/Messages';
import { PageLoader } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { enumLabel } from '../registry/labels';
import { campaignKeys, getChecklist } from '../campaigns/campaignsApi';
import { vnDate, vnParts } from '../campaigns/model';
import { NoteDialog, Section } from '../campaigns/parts';
import { answerTargets, visitSections, type AnswerType } from './answers';
import { isOutsider } from './access';
import {
  getRecord,
  getVisit,
  inspectionKeys,
  listAnswers,
  listVisitEvidence,
  listVisitFindings,
  transitionVisit,
} from './inspectionsApi';
import { canRecordVisit, visitActions, type VisitAction } from './model';
import { withSnapshot } from './offlineStore';
import { FindingStatusBadge, SeverityBadge, VisitStatusBadge } from './parts';
import { SyncStatus } from './SyncStatus';
import { snapshotKey, useVisitSync, type VisitSync } from './useVisitSync';
import { VisitChecklist } from './VisitChecklist';
import { VisitRecordForm } from './VisitRecordForm';
import { FieldFindingForm } from './FieldFindingForm';
import { bundleProducers, keptBundle, type KeptBundle } from './fieldBundle';
import { OutboxList } from './OutboxList';

/** Queries of the visit screen run even without a connection: they fall back to the copy kept offline. */
const OFFLINE_OK = { networkMode: 'always' as const };

function useVisitData(visitId: number, userId: number) {
  const snap = (part: string, id = visitId) => snapshotKey(userId, part, id);
  const visit = useQuery({
    queryKey: inspectionKeys.visit(visitId),
    queryFn: () => withSnapshot(snap('visit'), () => getVisit(visitId)),
    ...OFFLINE_OK,
  });
  const record = useQuery({
    queryKey: inspectionKeys.part(visitId, 'record'),
    queryFn: () => withSnapshot(snap('record'), () => getRecord(visitId)),
    ...OFFLINE_OK,
  });
  const campaignId = visit.data?.campaign_id;
  const checklist = useQuery({
    queryKey: inspectionKeys.checklist(campaignId ?? 0),
    queryFn: () => withSnapshot(snap('checklist', campaignId!), () => getChecklist(campaignId!)),
    enabled: campaignId != null,
    staleTime: 10 * 60_000,
    ...OFFLINE_OK,
  });
  const answers = useQuery({
    queryKey: inspectionKeys.part(visitId, 'answers'),
    queryFn: () => withSnapshot(snap('answers'), () => listAnswers(visitId)),
    ...OFFLINE_OK,
  });
  const evidence = useQuery({
    queryKey: inspectionKeys.part(visitId, 'evidence'),
    queryFn: () => withSnapshot(snap('evidence'), () => listVisitEvidence(visitId)),
    ...OFFLINE_OK,
  });
  return { visit, record, checklist, answers, evidence };
}

function VisitHeader({ visit, record }: { visit: Visit; record: VisitRecord }) {
  const { t } = useTranslation();
  const start = vnParts(visit.starts_at);
  return (
    <Paper withBorder radius="md" p="md" data-testid="visit-header">
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <VisitStatusBadge status={record.status} size="lg" />
          <Badge size="lg" variant="outline" color={visit.kind === 'site_visit' ? 'teal' : 'indigo'}>
            {enumLabel(t, 'campaigns.visitKinds', visit.kind)}
          </Badge>
        </Group>
        <Title order={2} data-testid="visit-place">
          {visit.place}
        </Title>
        <Text size="md" fw={600} data-testid="visit-time">
          {t('visit.when', {
            date: vnDate(start.date),
            start: start.time,
            end: vnParts(visit.ends_at).time,
          })}
          {visit.admin_unit_name ? ` · ${visit.admin_unit_name}` : ''}
        </Text>
        {visit.targets.length > 0 && (
          <Stack gap={2} data-testid="visit-targets">
            {visit.targets.map((tg, i) => (
              <Text key={i} size="md">
                • <b>{tg.producer_name}</b>
                {tg.product_name ? ` — ${tg.product_name}` : ''}
              </Text>
            ))}
          </Stack>
        )}
        {visit.programme && (
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
            {visit.programme}
          </Text>
        )}
        <Group gap="lg">
          {record.submitted_at && record.status !== 'in_progress' && (
            <Text size="sm" c="dimmed">
              {t('visit.submittedAt', { at: formatDateTime(record.submitted_at) })}
            </Text>
          )}
          {record.approved_at && (
            <Text size="sm" c="dimmed">
              {t('visit.approvedAt', { at: formatDateTime(record.approved_at) })}
            </Text>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

/** The buttons for the transitions the API allows (start, submit, approve, return, lock, reopen). */
function VisitWorkflow({ visit, record, sync }: { visit: Visit; record: VisitRecord; sync: VisitSync }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [action, setAction] = useState<VisitAction | null>(null);
  const [unsent, setUnsent] = useState(false);
  const actions = visitActions(record.status, record.allowed_transitions);

  const mutation = useMutation({
    networkMode: 'always',
    mutationFn: async ({ a, note }: { a: VisitAction; note: string }) => {
      if (a.key === 'submit') {
        // whatever is still on the device goes first: the findings come from the answers on the server
        const sent = await sync.flush();
        if (!sent) {
          setUnsent(true);
          return null;
        }
      }
      return transitionVisit(visit.id, { to: a.to, note: note || null });
    },
    onSuccess: (saved, { a }) => {
      if (!saved) return;
      queryClient.setQueryData(inspectionKeys.part(visit.id, 'record'), saved);
      void queryClient.invalidateQueries({ queryKey: inspectionKeys.visit(visit.id) });
      void queryClient.invalidateQueries({ queryKey: inspectionKeys.findings });
      void queryClient.invalidateQueries({ queryKey: campaignKeys.one(visit.campaign_id) });
      notifications.show({ color: 'green', message: t(`visit.done.${a.key}`) });
      setAction(null);
    },
  });

  const run = (a: VisitAction) => {
    mutation.reset();
    setUnsent(false);
    if (a.confirm) setAction(a);
    else mutation.mutate({ a, note: '' });
  };

  if (actions.length === 0) return null;
  return (
    <>
      <Group gap="sm" data-testid="visit-workflow">
        {actions.map((a) => (
          <Button
            key={a.to}
            size="lg"
            color={a.color}
            variant={a.variant}
            onClick={() => run(a)}
            loading={mutation.isPending && mutation.variables?.a.to === a.to && !action}
            data-testid={`visit-${a.key}`}
          >
            {t(`visit.actions.${a.key}`)}
          </Button>
        ))}
      </Group>
      {!action && <ErrorAlert error={mutation.error} />}
      <NoteDialog
        opened={action !== null}
        onClose={() => setAction(null)}
        title={action ? t(`visit.actions.${action.key}`) : ''}
        message={
          action
            ? [
                t(`visit.confirm.${action.key}`),
                action.key === 'submit' && sync.incomplete > 0
                  ? t('visit.incompleteOnSubmit', { count: sync.incomplete })
                  : '',
              ].join(' ')
            : undefined
        }
        note={action?.note ?? 'optional'}
        noteLabel={action?.note === 'required' ? t('visit.reason') : undefined}
        confirmLabel={action ? t(`visit.actions.${action.key}`) : ''}
        color={action?.color}
        loading={mutation.isPending}
        error={mutation.error}
        details={unsent ? [t('visit.unsentBeforeSubmit')] : undefined}
        onConfirm={(note) => action && mutation.mutate({ a: action, note })}
      />
    </>
  );
}

/** The findings of the visit (proposed on submission for every failed item, or written by the team). */
function VisitFindings({ visitId, status }: { visitId: number; status: VisitRecord['status'] }) {
  const { t } = useTranslation();
  const findings = useQuery({
    queryKey: [...inspectionKeys.findings, 'visit', visitId, status],
    queryFn: () => listVisitFindings(visitId),
  });
  if (findings.isPending || findings.isError || findings.data.length === 0) {
    return findings.isError ? <ErrorAlert error={findings.error} /> : null;
  }
  return (
    <Section title={t('visit.findings', { count: findings.data.length })} testId="visit-findings">
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="sm" fz="sm" highlightOnHover>
          <Table.Tbody>
            {findings.data.map((f) => (
              <Table.Tr key={f.id} data-testid="visit-finding" data-code={f.item_code ?? ''}>
                <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {f.item_code ?? '—'}
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/phat-hien/${f.id}`} size="sm" data-testid="visit-finding-link">
                    {f.description}
                  </Anchor>
                  {f.product_name && (
                    <Text size="xs" c="dimmed">
                      {f.product_name}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <SeverityBadge severity={f.severity} />
                </Table.Td>
                <Table.Td>
                  <FindingStatusBadge status={f.status} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Section>
  );
}

function VisitScreen({ visitId, userId }: { visitId: number; userId: number }) {
  const { t } = useTranslation();
  const { visit, record, checklist, answers, evidence } = useVisitData(visitId, userId);
  const [discarding, setDiscarding] = useState(false);
  const [bundle, setBundle] = useState<KeptBundle | null>(null);
  useEffect(() => {
    void keptBundle(userId).then(setBundle);
  }, [userId]);
  const editable = canRecordVisit(record.data);
  const answerTypes = useMemo(
    () =>
      new Map<string, AnswerType>(
        (checklist.data?.sections ?? []).flatMap((s) => s.items.map((i) => [i.code, i.answer_type] as const)),
      ),
    [checklist.data],
  );
  const sync = useVisitSync({
    visitId,
    userId,
    record: record.data,
    answers: answers.data?.items,
    answerTypes,
    canRecord: editable,
  });

  const failed = [visit, record, checklist, answers].find((q) => q.isError);
  if (failed?.isError) {
    if (failed.error instanceof ApiError && failed.error.status === 404) return <PageMessage title={t('visit.notFound')} />;
    return <ErrorAlert error={failed.error} onRetry={() => void failed.refetch()} />;
  }
  if (!visit.data || !record.data || !checklist.data || !answers.data || !sync.record) return <PageLoader />;

  const v = visit.data;
  const sections = visitSections(checklist.data, v);
  const targets = answerTargets(v);
  const leftDraft = !editable && sync.pending > 0;

  return (
    <Stack gap="md" maw={1100}>
      <Anchor component={Link} to={`/ke-hoach/${v.campaign_id}?tab=lich`} size="sm">
        ← {t('visit.backToSchedule')}
      </Anchor>
      <VisitHeader visit={v} record={record.data} />
      <SyncStatus sync={sync} show={editable || sync.pending > 0} />
      {leftDraft && (
        <Alert color="orange" variant="light" data-testid="visit-draft-blocked">
          <Text size="sm">{t('visit.draftBlocked')}</Text>
          <Button mt="xs" size="xs" variant="outline" color="orange" onClick={() => setDiscarding(true)}>
            {t('visit.discard')}
          </Button>
        </Alert>
      )}
      <NoteDialog
        opened={discarding}
        onClose={() => setDiscarding(false)}
        title={t('visit.discard')}
        message={t('visit.discardConfirm', { count: sync.pending })}
        note="none"
        confirmLabel={t('visit.discard')}
        color="red"
        onConfirm={() => void sync.discard().then(() => setDiscarding(false))}
      />
      <VisitWorkflow visit={v} record={record.data} sync={sync} />
      {record.data.status === 'planned' && (
        <Text c="dimmed" data-testid="visit-planned-hint">
          {record.data.allowed_transitions.includes('in_progress') ? t('visit.startHint') : t('visit.notStarted')}
        </Text>
      )}
      {record.data.status !== 'planned' && (
        <>
          <VisitRecordForm record={sync.record} editable={editable} onChange={sync.setRecord} />
          <VisitChecklist
            producer={sections.producer}
            local={sections.local}
            targets={targets}
            sync={sync}
            editable={editable}
            evidence={evidence.data ?? []}
          />
          {editable && (
            <FieldFindingForm
              visit={v}
              userId={userId}
              checklist={checklist.data}
              producers={bundleProducers(bundle, v.targets.map((tg) => tg.producer_id))}
              onQueued={sync.request}
            />
          )}
          {sync.outbox.length > 0 && <OutboxList entries={sync.outbox} onRetry={sync.request} />}
        </>
      )}
      <VisitFindings visitId={v.id} status={record.data.status} />
    </Stack>
  );
}

export default function VisitPage() {
  const { t } = useTranslation();
  const { visitId } = useParams();
  const id = Number(visitId);
  const { me } = useAuth();
  if (!Number.isInteger(id) || id <= 0) return <PageMessage title={t('common.notFound')} />;
  if (!me) return null;
  if (isOutsider(me.roles)) return <PageMessage title={t('common.noPermission')} />;
  return <VisitScreen key={`${me.id}-${id}`} visitId={id} userId={me.id} />;
}
