// One finding: what was found and where, its workflow, corrective actions, evidence and timeline.
import { useState } from 'react';
import { Alert, Anchor, Button, Group, Select, SimpleGrid, Stack, Text, Timeline, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import { ESCALATIONS, type Escalation, type Finding } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { FilePickButton } from '../../components/FilePickButton';
import { PageMessage } from '../../components/Messages';
import { PageLoader } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { enumLabel } from '../registry/labels';
import { useTeam } from '../campaigns/campaignsApi';
import { NoteDialog, Section } from '../campaigns/parts';
import { findingAccess, isOutsider, type FindingAccess } from './access';
import { FindingActions, useRefreshFinding } from './FindingActions';
import { FindingEdit } from './FindingEdit';
import {
  fileUpload,
  getTimeline,
  inspectionKeys,
  listActions,
  listFindingEvidence,
  transitionFinding,
  uploadFindingEvidence,
  useFinding,
} from './inspectionsApi';
import { findingActions, timelineView, type FindingAction } from './model';
import { DOCUMENTS, EvidenceGrid, FindingStatusBadge, RepeatBadge, SeverityBadge } from './parts';

function FindingWorkflow({ finding }: { finding: Finding }) {
  const { t } = useTranslation();
  const refresh = useRefreshFinding(finding.id);
  const [action, setAction] = useState<FindingAction | null>(null);
  const [escalation, setEscalation] = useState<Escalation | null>(null);
  const [missing, setMissing] = useState(false);
  const buttons = findingActions(finding.allowed_transitions ?? []);
  const mutation = useMutation({
    mutationFn: ({ a, note }: { a: FindingAction; note: string }) =>
      transitionFinding(finding.id, { to: a.to, note: note || null, escalation: a.escalation ? escalation : null }),
    onSuccess: (saved) => {
      refresh();
      setAction(null);
      notifications.show({
        color: 'green',
        message: t('findings.moved', { status: enumLabel(t, 'findings.statuses', saved.status) }),
      });
    },
  });
  if (buttons.length === 0) return null;
  return (
    <>
      <Group gap="xs" data-testid="finding-workflow">
        {buttons.map((a) => (
          <Button
            key={a.to}
            size="md"
            color={a.color}
            variant={a.variant}
            onClick={() => {
              mutation.reset();
              setEscalation(null);
              setMissing(false);
              setAction(a);
            }}
            data-testid={`finding-${a.key}`}
          >
            {t(`findings.workflow.${a.key}`)}
          </Button>
        ))}
      </Group>
      <NoteDialog
        opened={action !== null}
        onClose={() => setAction(null)}
        title={action ? t(`findings.workflow.${action.key}`) : ''}
        message={action ? t(`findings.workflow.confirm.${action.key}`) : undefined}
        note={action?.note ?? 'optional'}
        noteLabel={t('findings.workflow.reason')}
        confirmLabel={action ? t(`findings.workflow.${action.key}`) : ''}
        color={action?.color}
        loading={mutation.isPending}
        error={mutation.error}
        onConfirm={(note) => {
          if (!action) return;
          if (action.escalation && !escalation) {
            setMissing(true);
            return;
          }
          mutation.mutate({ a: action, note });
        }}
      >
        {action?.escalation && (
          <Select
            label={t('findings.escalation')}
            data={ESCALATIONS.map((e) => ({ value: e, label: enumLabel(t, 'findings.escalations', e) }))}
            value={escalation}
            onChange={(v) => setEscalation(v as Escalation | null)}
            error={missing && !escalation ? t('account.required') : undefined}
            required
            data-testid="finding-escalation"
          />
        )}
      </NoteDialog>
    </>
  );
}

function FindingTimeline({ findingId }: { findingId: number }) {
  const { t } = useTranslation();
  const timeline = useQuery({
    queryKey: inspectionKeys.findingPart(findingId, 'timeline'),
    queryFn: () => getTimeline(findingId),
  });
  return (
    <Section title={t('findings.timeline.title')} testId="finding-timeline">
      {timeline.isPending ? (
        <PageLoader />
      ) : timeline.isError ? (
        <ErrorAlert error={timeline.error} onRetry={() => void timeline.refetch()} />
      ) : timeline.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('common.empty')}
        </Text>
      ) : (
        <Timeline active={timeline.data.items.length - 1} bulletSize={18} lineWidth={2}>
          {timeline.data.items.map((entry, i) => {
            const view = timelineView(entry);
            return (
              <Timeline.Item
                key={`${entry.at}-${i}`}
                color={view.color}
                title={t(view.key, {
                  status: view.status ? enumLabel(t, 'findings.statuses', view.status) : '',
                  action: entry.action,
                })}
                data-testid="timeline-item"
                data-action={entry.action}
              >
                <Text size="xs" c="dimmed">
                  {formatDateTime(entry.at)} · {entry.actor}
                </Text>
                {view.text && (
                  <Text size="sm" mt={2} style={{ whiteSpace: 'pre-wrap' }}>
                    {view.text}
                  </Text>
                )}
              </Timeline.Item>
            );
          })}
        </Timeline>
      )}
    </Section>
  );
}

function useFindingEvidence(findingId: number) {
  return useQuery({
    queryKey: inspectionKeys.findingPart(findingId, 'evidence'),
    queryFn: () => listFindingEvidence(findingId),
  });
}

function FindingEvidence({
  finding,
  access,
  evidence,
}: {
  finding: Finding;
  access: FindingAccess;
  evidence: ReturnType<typeof useFindingEvidence>;
}) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const refresh = useRefreshFinding(finding.id);
  const upload = useMutation({
    mutationFn: async (files: File[]) => {
      for (const file of files) await uploadFindingEvidence(finding.id, fileUpload(file));
    },
    onSuccess: () => {
      refresh();
      notifications.show({ color: 'green', message: t('findings.evidence.uploaded') });
    },
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(err) }),
  });
  return (
    <Section
      title={t('findings.evidence.title')}
      testId="finding-evidence"
      actions={
        access.upload && (
          <FilePickButton
            size="md"
            variant="light"
            accept={DOCUMENTS}
            multiple
            loading={upload.isPending}
            onFiles={(files) => upload.mutate(files)}
            testId="finding-evidence-add"
          >
            {t('findings.evidence.add')}
          </FilePickButton>
        )
      }
    >
      {evidence.isPending ? (
        <PageLoader />
      ) : evidence.isError ? (
        <ErrorAlert error={evidence.error} onRetry={() => void evidence.refetch()} />
      ) : (
        <EvidenceGrid items={evidence.data} empty={t('findings.evidence.none')} testId="finding-evidence-grid" />
      )}
    </Section>
  );
}

function FindingDetails({ finding }: { finding: Finding }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  return (
    <Stack gap="sm">
      <Group gap="xs" wrap="wrap">
        <FindingStatusBadge status={finding.status} size="lg" />
        <SeverityBadge severity={finding.severity} size="lg" />
        <RepeatBadge count={finding.repeat_count} />
        {finding.automatic && (
          <Text size="xs" c="dimmed">
            {t('findings.automatic')}
          </Text>
        )}
      </Group>
      <Title order={2} size="h3" data-testid="finding-description" style={{ whiteSpace: 'pre-wrap' }}>
        {finding.description}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
        <Field label={t('findings.producer')}>
          <span data-testid="finding-producer">{finding.producer_name}</span>
          {finding.product_name && (
            <Text size="sm" data-testid="finding-product">
              {finding.product_name}
              {finding.product_id && (
                <>
                  {' · '}
                  <Anchor component={Link} to={`/tuan-thu?sp=${finding.product_id}`} size="sm">
                    {t('findings.compliance')}
                  </Anchor>
                </>
              )}
            </Text>
          )}
        </Field>
        <Field label={t('findings.item')}>{finding.item_code ?? t('common.none')}</Field>
        <Field label={t('findings.category')}>{enumLabel(t, 'findings.categories', finding.category)}</Field>
        <Field label={t('findings.contentArea')}>
          {finding.content_area ? t('findings.areaNumber', { number: finding.content_area }) : t('common.none')}
        </Field>
        <Field label={t('findings.createdAt')}>{formatDateTime(finding.created_at)}</Field>
        {finding.visit_id && !isOutsider(me?.roles) && (
          <Field label={t('findings.visit')}>
            <Anchor component={Link} to={`/luot-kiem-tra/${finding.visit_id}`} size="sm">
              {t('findings.openVisit')}
            </Anchor>
          </Field>
        )}
      </SimpleGrid>
      {finding.legal_reference && <Field label={t('findings.legalReference')}>{finding.legal_reference}</Field>}
      {finding.recommendation && <Field label={t('findings.recommendation')}>{finding.recommendation}</Field>}
      {finding.status_reason && (
        <Field label={t('findings.statusReason')}>
          <span data-testid="finding-status-reason">{finding.status_reason}</span>
        </Field>
      )}
      {finding.escalation && (
        <Alert color="grape" variant="light" data-testid="finding-escalated">
          {enumLabel(t, 'findings.escalations', finding.escalation)}
        </Alert>
      )}
      {finding.internal_note && (
        <Alert color="gray" variant="light" title={t('findings.internalNote')} data-testid="finding-internal-note">
          {finding.internal_note}
        </Alert>
      )}
    </Stack>
  );
}

function FindingScreen({ finding }: { finding: Finding }) {
  const { me } = useAuth();
  const outsider = isOutsider(me?.roles);
  const team = useTeam(finding.campaign_id, !outsider);
  const inTeam = Boolean(me && team.data?.some((m) => m.user_id === me.id));
  const actions = useQuery({
    queryKey: inspectionKeys.findingPart(finding.id, 'actions'),
    queryFn: () => listActions(finding.id),
  });
  const evidence = useFindingEvidence(finding.id);
  const access = findingAccess(me?.roles, inTeam, actions.data ?? []);
  return (
    <>
      <FindingDetails finding={finding} />
      {access.manage && !['closed', 'dismissed'].includes(finding.status) && <FindingEdit finding={finding} />}
      <FindingWorkflow finding={finding} />
      {actions.isPending ? (
        <PageLoader />
      ) : actions.isError ? (
        <ErrorAlert error={actions.error} onRetry={() => void actions.refetch()} />
      ) : (
        <FindingActions finding={finding} actions={actions.data} evidence={evidence.data ?? []} access={access} />
      )}
      <FindingEvidence finding={finding} access={access} evidence={evidence} />
      <FindingTimeline findingId={finding.id} />
    </>
  );
}

export default function FindingPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const findingId = Number(id);
  const finding = useFinding(findingId);
  if (!Number.isInteger(findingId) || findingId <= 0) return <PageMessage title={t('common.notFound')} />;
  if (finding.isPending) return <PageLoader />;
  if (finding.isError) {
    if (finding.error instanceof ApiError && finding.error.status === 404) {
      return <PageMessage title={t('findings.notFound')} />;
    }
    return <ErrorAlert error={finding.error} onRetry={() => void finding.refetch()} />;
  }
  return (
    <Stack gap="md" maw={1100}>
      <Anchor component={Link} to="/phat-hien" size="sm">
        ← {t('findings.back')}
      </Anchor>
      <FindingScreen finding={finding.data} />
    </Stack>
  );
}
