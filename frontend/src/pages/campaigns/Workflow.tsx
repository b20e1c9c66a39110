import { useEffect, useState } from 'react';
import { Button, Group, Modal, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import type { Campaign } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useServerErrors } from '../../lib/forms';
import { amendCampaign, transitionCampaign, useRefreshCampaign } from './campaignsApi';
import { problemKey, transitionActions, vnToday, type TransitionAction } from './model';
import { FormActions, NoteDialog } from './parts';
import { PlanEditor, usePlanFormState } from './PlanEditor';
import { planChanges, planFromContent, planToPayload } from './planForm';

/** The readiness problems of a 409 campaign_incomplete, in the UI language when known. */
function useProblemLines() {
  const { t } = useTranslation();
  return (err: unknown): string[] => {
    if (!(err instanceof ApiError) || !Array.isArray(err.problem?.problems)) return [];
    return (err.problem.problems as string[]).map((p) => {
      const key = problemKey(p);
      return key ? t(key) : p;
    });
  };
}

/** The workflow buttons the API allows this caller (Trình duyệt, Ban hành, Trả lại, …), each with its dialog. */
export function WorkflowButtons({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation();
  const refresh = useRefreshCampaign(campaign.id);
  const problemLines = useProblemLines();
  const [action, setAction] = useState<TransitionAction | null>(null);
  const [number, setNumber] = useState('');
  const [date, setDate] = useState('');
  const actions = transitionActions(campaign.status, campaign.allowed_transitions ?? []);

  const mutation = useMutation({
    mutationFn: ({ to, note }: { to: Campaign['status']; note: string }) =>
      transitionCampaign(campaign.id, {
        to,
        note: note || null,
        document_number: to === 'issued' && number.trim() ? number.trim() : null,
        document_date: to === 'issued' && date ? date : null,
      }),
    onSuccess: (saved) => {
      refresh();
      notifications.show({
        color: 'green',
        message:
          saved.status === 'issued' && saved.document_number
            ? t('campaigns.workflow.issued', { number: saved.document_number })
            : t('campaigns.workflow.done', { status: t(`campaigns.statuses.${saved.status}`) }),
      });
      setAction(null);
    },
  });

  const open = (a: TransitionAction) => {
    mutation.reset();
    setNumber('');
    setDate(vnToday());
    setAction(a);
  };

  if (actions.length === 0) return null;
  return (
    <>
      <Group gap="xs" data-testid="workflow-buttons">
        {actions.map((a) => (
          <Button
            key={a.to}
            color={a.color}
            variant={a.variant}
            onClick={() => open(a)}
            data-testid={`transition-${a.to}`}
          >
            {t(a.labelKey)}
          </Button>
        ))}
      </Group>
      <NoteDialog
        opened={action !== null}
        onClose={() => setAction(null)}
        title={action ? t(action.labelKey) : ''}
        message={action ? t(`campaigns.workflow.confirm.${action.to}`) : undefined}
        note={action?.note ?? 'optional'}
        confirmLabel={action ? t(action.labelKey) : ''}
        color={action?.color}
        loading={mutation.isPending}
        error={mutation.error}
        details={problemLines(mutation.error)}
        onConfirm={(note) => action && mutation.mutate({ to: action.to, note })}
      >
        {action?.issue && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('campaigns.fields.documentNumber')}
              description={t('campaigns.workflow.numberHint')}
              withAsterisk
              placeholder="01/KH-SNN"
              value={number}
              onChange={(e) => setNumber(e.currentTarget.value)}
              data-testid="issue-number"
            />
            <TextInput
              type="date"
              label={t('campaigns.fields.documentDate')}
              value={date}
              onChange={(e) => setDate(e.currentTarget.value)}
              data-testid="issue-date"
            />
          </SimpleGrid>
        )}
      </NoteDialog>
    </>
  );
}

const AMEND_FIELDS = ['reason', 'document_number'] as const;

/** "Điều chỉnh kế hoạch": the leader changes an issued plan; the earlier text stays as a revision. */
export function AmendDialog({
  campaign,
  opened,
  onClose,
}: {
  campaign: Campaign;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const refresh = useRefreshCampaign(campaign.id);
  const plan = usePlanFormState(() => planFromContent(campaign));
  const [reason, setReason] = useState('');
  const [number, setNumber] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const server = useServerErrors(AMEND_FIELDS);
  const { reset } = server;

  useEffect(() => {
    if (opened) {
      plan.setForm(planFromContent(campaign));
      plan.setErrors({});
      setReason('');
      setNumber('');
      setLocal(null);
      reset();
    }
    // only when the dialog opens: later reloads of the campaign must not wipe the edits
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const changes = () => planChanges(planToPayload(planFromContent(campaign)), planToPayload(plan.form));
  const mutation = useMutation({
    mutationFn: () =>
      amendCampaign(campaign, {
        reason: reason.trim(),
        document_number: number.trim() || null,
        reissue: false,
        changes: changes(),
      }),
    onSuccess: (saved) => {
      refresh();
      notifications.show({ color: 'green', message: t('campaigns.amend.saved', { revision: saved.revision }) });
      onClose();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 412) refresh();
      server.capture(err);
    },
  });

  const submit = () => {
    const valid = plan.check();
    reset();
    if (reason.trim().length < 3) setLocal(t('campaigns.amend.reasonRequired'));
    else if (Object.keys(changes()).length === 0 && !number.trim()) setLocal(t('campaigns.amend.noChanges'));
    else {
      setLocal(null);
      if (valid) mutation.mutate();
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('campaigns.amend.title')} size="90rem" centered>
      <Stack data-testid="amend-dialog">
        <ErrorAlert error={server.error} details={[...server.general, ...(local ? [local] : [])]} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Textarea
            label={t('campaigns.amend.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={server.fieldErrors.reason}
            required
            autosize
            minRows={2}
            data-testid="amend-reason"
          />
          <TextInput
            label={t('campaigns.amend.documentNumber')}
            description={t('campaigns.amend.documentNumberHint')}
            value={number}
            onChange={(e) => setNumber(e.currentTarget.value)}
            error={server.fieldErrors.document_number}
          />
        </SimpleGrid>
        <PlanEditor {...plan.editor} />
        <FormActions
          onCancel={onClose}
          onSubmit={submit}
          loading={mutation.isPending}
          label={t('campaigns.amend.save')}
          testId="amend-save"
        />
      </Stack>
    </Modal>
  );
}
