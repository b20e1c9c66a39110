// The corrective actions of a finding: the team sets them and verifies the answers; the owner (the
// producer's representative, or the unit's local officer) answers with what was done and evidence.
import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { ACTION_KINDS, ACTION_OWNERS, type CorrectiveAction, type Evidence, type Finding } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilePickButton } from '../../components/FilePickButton';
import { formatDate, formatDateTime } from '../../lib/format';
import { useServerErrors } from '../../lib/forms';
import { enumLabel } from '../registry/labels';
import { FormActions, NoteDialog, Section } from '../campaigns/parts';
import { vnToday } from '../campaigns/model';
import { canRespond, type FindingAccess } from './access';
import {
  createAction,
  fileUpload,
  inspectionKeys,
  respondToAction,
  uploadFindingEvidence,
  verifyAction,
} from './inspectionsApi';
import { ActionStatusBadge, DOCUMENTS, EvidenceGrid, PhotoTile, useObjectUrl } from './parts';

const OPEN_FOR_ACTIONS: readonly string[] = ['open', 'action_required', 'response_submitted'];

/** Reloads the finding, its actions, evidence and timeline (and lists and compliance, which move with them). */
export function useRefreshFinding(findingId: number) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: inspectionKeys.findings });
    void queryClient.invalidateQueries({ queryKey: inspectionKeys.compliance });
    void queryClient.invalidateQueries({ queryKey: inspectionKeys.finding(findingId) });
  };
}

const ACTION_FIELDS = ['description', 'due_date'] as const;

function AddActionDialog({ finding, opened, onClose }: { finding: Finding; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshFinding(finding.id);
  const [kind, setKind] = useState<(typeof ACTION_KINDS)[number]>('corrective');
  const [owner, setOwner] = useState<(typeof ACTION_OWNERS)[number]>('producer');
  const [description, setDescription] = useState('');
  const [due, setDue] = useState('');
  const [missing, setMissing] = useState(false);
  const server = useServerErrors(ACTION_FIELDS);
  const { reset } = server;

  useEffect(() => {
    if (opened) {
      setKind('corrective');
      setOwner('producer');
      setDescription(finding.recommendation ?? '');
      setDue(dayjs(vnToday()).add(30, 'day').format('YYYY-MM-DD'));
      setMissing(false);
      reset();
    }
  }, [opened, finding.recommendation, reset]);

  const mutation = useMutation({
    mutationFn: () =>
      createAction(finding.id, { kind, owner_type: owner, description: description.trim(), due_date: due }),
    onSuccess: () => {
      refresh();
      notifications.show({ color: 'green', message: t('findings.actions.added') });
      onClose();
    },
    onError: server.capture,
  });

  const submit = () => {
    const bad = !description.trim() || !due;
    setMissing(bad);
    if (!bad) mutation.mutate();
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('findings.actions.add')} size="lg" centered>
      <Stack data-testid="action-form">
        <ErrorAlert error={server.error} details={server.general} />
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as typeof kind)}
          data={ACTION_KINDS.map((k) => ({ value: k, label: enumLabel(t, 'findings.actionKinds', k) }))}
        />
        <Textarea
          label={t('findings.actions.description')}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={server.fieldErrors.description ?? (missing && !description.trim() ? t('account.required') : undefined)}
          required
          autosize
          minRows={3}
          data-testid="action-description"
        />
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t('findings.actions.owner')}
          </Text>
          <SegmentedControl
            value={owner}
            onChange={(v) => setOwner(v as typeof owner)}
            data={ACTION_OWNERS.map((o) => ({ value: o, label: enumLabel(t, 'findings.owners', o) }))}
            data-testid="action-owner"
          />
        </div>
        <TextInput
          type="date"
          label={t('findings.actions.due')}
          value={due}
          min={vnToday()}
          onChange={(e) => setDue(e.currentTarget.value)}
          error={server.fieldErrors.due_date ?? (missing && !due ? t('account.required') : undefined)}
          required
          w={220}
          data-testid="action-due"
        />
        <FormActions onCancel={onClose} onSubmit={submit} loading={mutation.isPending} testId="action-save" />
      </Stack>
    </Modal>
  );
}

function SelectedFile({ file, onRemove }: { file: File; onRemove: () => void }) {
  const { t } = useTranslation();
  const url = useObjectUrl(file.type.startsWith('image/') ? file : null);
  return (
    <Stack gap={2} data-testid="response-file">
      <PhotoTile src={url} alt={file.name} testId="response-file-tile" />
      <Button size="compact-xs" variant="subtle" color="red" onClick={onRemove}>
        {t('visit.photos.remove')}
      </Button>
    </Stack>
  );
}

/** The owner's answer: what was done, with photos or documents (uploaded first, then linked to the answer). */
function RespondForm({ finding, action }: { finding: Finding; action: CorrectiveAction }) {
  const { t } = useTranslation();
  const refresh = useRefreshFinding(finding.id);
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [missing, setMissing] = useState(false);
  // files already uploaded by an earlier attempt that failed later: not uploaded twice
  const uploaded = useRef(new Map<File, number>());

  const mutation = useMutation({
    mutationFn: async () => {
      const ids: number[] = [];
      for (const file of files) {
        let id = uploaded.current.get(file);
        if (id === undefined) {
          id = (await uploadFindingEvidence(finding.id, fileUpload(file))).id;
          uploaded.current.set(file, id);
        }
        ids.push(id);
      }
      return respondToAction(finding.id, action.id, text.trim(), ids);
    },
    onSuccess: () => {
      refresh();
      setText('');
      setFiles([]);
      uploaded.current.clear();
      notifications.show({ color: 'green', message: t('findings.actions.responded') });
    },
  });

  const submit = () => {
    setMissing(!text.trim());
    if (text.trim()) mutation.mutate();
  };

  return (
    <Paper withBorder radius="md" p="sm" bg="blue.0" data-testid="action-respond-form">
      <Stack gap="sm">
        <Text fw={600}>{t('findings.actions.respondTitle')}</Text>
        {action.verification_comment && action.rejections > 0 && (
          <Alert color="orange" variant="light" title={t('findings.actions.rejectedBefore')}>
            {action.verification_comment}
          </Alert>
        )}
        <Textarea
          size="md"
          label={t('findings.actions.response')}
          placeholder={t('findings.actions.responsePlaceholder')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={missing ? t('account.required') : undefined}
          autosize
          minRows={3}
          data-testid="action-response-text"
        />
        {files.length > 0 && (
          <Group gap="xs">
            {files.map((f, i) => (
              <SelectedFile key={`${f.name}-${i}`} file={f} onRemove={() => setFiles((l) => l.filter((x) => x !== f))} />
            ))}
          </Group>
        )}
        <Group gap="xs">
          <FilePickButton
            variant="default"
            size="md"
            accept="image/*"
            capture="environment"
            onFiles={(more) => setFiles((l) => [...l, ...more])}
            testId="action-response-photo"
          >
            {t('visit.photos.take')}
          </FilePickButton>
          <FilePickButton
            variant="default"
            size="md"
            accept={DOCUMENTS}
            multiple
            onFiles={(more) => setFiles((l) => [...l, ...more])}
            testId="action-response-file"
          >
            {t('visit.photos.attach')}
          </FilePickButton>
        </Group>
        <ErrorAlert error={mutation.error} />
        <Group justify="flex-end">
          <Button size="md" onClick={submit} loading={mutation.isPending} data-testid="action-respond">
            {t('findings.actions.respond')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function ActionCard({
  finding,
  action,
  evidence,
  access,
}: {
  finding: Finding;
  action: CorrectiveAction;
  evidence: readonly Evidence[];
  access: FindingAccess;
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const refresh = useRefreshFinding(finding.id);
  const [decision, setDecision] = useState<'accept' | 'reject' | null>(null);
  const verify = useMutation({
    mutationFn: ({ accepted, comment }: { accepted: boolean; comment: string }) =>
      verifyAction(finding.id, action.id, accepted, comment || null),
    onSuccess: (saved) => {
      refresh();
      setDecision(null);
      notifications.show({
        color: 'green',
        message: t(saved.status === 'accepted' ? 'findings.actions.accepted' : 'findings.actions.rejected'),
      });
    },
  });
  const mine = evidence.filter((e) => e.action_id === action.id || (action.evidence_ids ?? []).includes(e.id));

  return (
    <Paper withBorder radius="md" p="md" data-testid="action-card" data-status={action.status}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Group gap="xs">
            <Text fw={600}>{enumLabel(t, 'findings.actionKinds', action.kind)}</Text>
            <ActionStatusBadge status={action.status} overdue={action.overdue} />
          </Group>
          <Text size="sm" c={action.overdue ? 'red' : 'dimmed'} data-testid="action-due-date">
            {t('findings.actions.dueOn', { date: formatDate(action.due_date) })}
          </Text>
        </Group>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="action-description-text">
          {action.description}
        </Text>
        <Text size="xs" c="dimmed">
          {t('findings.actions.ownedBy', { owner: enumLabel(t, 'findings.owners', action.owner_type) })}
          {action.rejections > 0 ? ` · ${t('findings.actions.rejections', { count: action.rejections })}` : ''}
        </Text>
        {action.response && (
          <Paper radius="sm" p="xs" bg="gray.0" data-testid="action-response">
            <Text size="xs" c="dimmed">
              {t('findings.actions.respondedAt', { at: formatDateTime(action.responded_at) })}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {action.response}
            </Text>
          </Paper>
        )}
        {mine.length > 0 && <EvidenceGrid items={mine} testId="action-evidence" />}
        {action.verification_comment && !(canRespond(me?.roles, action) && action.rejections > 0) && (
          <Text size="sm" c={action.status === 'accepted' ? 'green.8' : 'orange.8'} data-testid="action-verification">
            {t('findings.actions.verificationComment', { comment: action.verification_comment })}
          </Text>
        )}
        {access.verify && action.status === 'responded' && (
          <Group gap="xs" justify="flex-end">
            <Button color="orange" variant="light" size="md" onClick={() => setDecision('reject')} data-testid="action-reject">
              {t('findings.actions.reject')}
            </Button>
            <Button color="green" size="md" onClick={() => setDecision('accept')} data-testid="action-accept">
              {t('findings.actions.accept')}
            </Button>
          </Group>
        )}
        {canRespond(me?.roles, action) && <RespondForm finding={finding} action={action} />}
      </Stack>
      <NoteDialog
        opened={decision !== null}
        onClose={() => setDecision(null)}
        title={decision ? t(`findings.actions.${decision}`) : ''}
        message={decision === 'reject' ? t('findings.actions.rejectHint') : t('findings.actions.acceptHint')}
        note={decision === 'reject' ? 'required' : 'optional'}
        noteLabel={t('findings.actions.comment')}
        confirmLabel={decision ? t(`findings.actions.${decision}`) : ''}
        color={decision === 'reject' ? 'orange' : 'green'}
        loading={verify.isPending}
        error={verify.error}
        onConfirm={(comment) => decision && verify.mutate({ accepted: decision === 'accept', comment })}
      />
    </Paper>
  );
}

export function FindingActions({
  finding,
  actions,
  evidence,
  access,
}: {
  finding: Finding;
  actions: readonly CorrectiveAction[];
  evidence: readonly Evidence[];
  access: FindingAccess;
}) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const canAdd = access.manage && OPEN_FOR_ACTIONS.includes(finding.status);
  return (
    <Section
      title={t('findings.actions.title', { count: actions.length })}
      testId="finding-actions"
      actions={
        canAdd && (
          <Button size="md" onClick={() => setAdding(true)} data-testid="action-add">
            + {t('findings.actions.add')}
          </Button>
        )
      }
    >
      {actions.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="actions-empty">
          {t('findings.actions.none')}
        </Text>
      ) : (
        <Stack gap="sm">
          {actions.map((a) => (
            <ActionCard key={a.id} finding={finding} action={a} evidence={evidence} access={access} />
          ))}
        </Stack>
      )}
      {canAdd && <AddActionDialog finding={finding} opened={adding} onClose={() => setAdding(false)} />}
    </Section>
  );
}
