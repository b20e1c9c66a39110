import { useEffect, useState } from 'react';
import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import { TASK_STATUSES, type Campaign, type Task, type TaskStatus } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { EntitySelect } from '../../components/EntitySelect';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/States';
import { blankToNull, useServerErrors } from '../../lib/forms';
import { enumLabel } from '../registry/labels';
import { isLocalOnly, type CampaignAccess } from './access';
import { createTask, updateTask, useRefreshCampaign, useTasks } from './campaignsApi';
import { ACTIVE_STATUSES, assigneeOf, tasksByStatus, vnDate } from './model';
import { FormActions, Section } from './parts';

const COLUMN_COLORS: Record<TaskStatus, string> = {
  open: 'gray',
  in_progress: 'blue',
  done: 'green',
  cancelled: 'red',
};
const TASK_FIELDS = ['description', 'assignee_agency_id', 'assignee_user_id', 'assignee_label', 'due_date'] as const;

function TaskFormModal({ campaign, opened, onClose }: { campaign: Campaign; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshCampaign(campaign.id);
  const [description, setDescription] = useState('');
  const [agencyId, setAgencyId] = useState<number | null>(null);
  const [userId, setUserId] = useState<number | null>(null);
  const [label, setLabel] = useState('');
  const [due, setDue] = useState('');
  const [missing, setMissing] = useState(false);
  const server = useServerErrors(TASK_FIELDS);
  const { reset } = server;

  useEffect(() => {
    if (opened) {
      setDescription('');
      setAgencyId(null);
      setUserId(null);
      setLabel('');
      setDue('');
      setMissing(false);
      reset();
    }
  }, [opened, reset]);

  const mutation = useMutation({
    mutationFn: () =>
      createTask(campaign.id, {
        description: description.trim(),
        assignee_agency_id: agencyId,
        assignee_user_id: userId,
        assignee_label: blankToNull(label),
        due_date: due || null,
      }),
    onSuccess: () => {
      refresh();
      notifications.show({ color: 'green', message: t('campaigns.tasks.created') });
      onClose();
    },
    onError: (err) => server.capture(err),
  });

  const submit = () => {
    setMissing(!description.trim());
    reset();
    if (description.trim()) mutation.mutate();
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('campaigns.tasks.addTitle')} size="lg" centered>
      <Stack data-testid="task-form">
        <ErrorAlert error={server.error} details={server.general} />
        <Textarea
          label={t('campaigns.tasks.description')}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={missing ? t('account.required') : server.fieldErrors.description}
          required
          autosize
          minRows={2}
          data-testid="task-description"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <EntitySelect
            source="agencies"
            label={t('campaigns.tasks.assigneeAgency')}
            value={agencyId}
            onChange={setAgencyId}
            error={server.fieldErrors.assignee_agency_id}
          />
          <EntitySelect
            source="users"
            label={t('campaigns.tasks.assigneeUser')}
            value={userId}
            onChange={setUserId}
            error={server.fieldErrors.assignee_user_id}
          />
          <TextInput
            label={t('campaigns.tasks.assigneeLabel')}
            value={label}
            onChange={(e) => setLabel(e.currentTarget.value)}
            error={server.fieldErrors.assignee_label}
          />
          <TextInput
            type="date"
            label={t('campaigns.tasks.due')}
            value={due}
            onChange={(e) => setDue(e.currentTarget.value)}
            error={server.fieldErrors.due_date}
          />
        </SimpleGrid>
        <FormActions onCancel={onClose} onSubmit={submit} loading={mutation.isPending} testId="task-save" />
      </Stack>
    </Modal>
  );
}

function TaskCard({
  task,
  canChange,
  onStatus,
}: {
  task: Task;
  canChange: boolean;
  onStatus: (s: TaskStatus) => void;
}) {
  const { t } = useTranslation();
  const assignee = assigneeOf(task);
  return (
    <Paper
      withBorder
      p="xs"
      radius="sm"
      data-testid="task-card"
      data-overdue={task.overdue || undefined}
      style={task.overdue ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 } : undefined}
    >
      <Stack gap={4}>
        <Group gap={4}>
          <Badge size="xs" variant="light" color="gray">
            {enumLabel(t, 'campaigns.taskKinds', task.kind)}
          </Badge>
          {task.overdue && (
            <Badge size="xs" color="red" variant="filled" data-testid="task-overdue">
              {t('campaigns.tasks.overdue')}
            </Badge>
          )}
        </Group>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {task.description}
        </Text>
        {assignee && (
          <Text size="xs" c="dimmed">
            {assignee}
          </Text>
        )}
        {task.due_date && (
          <Text size="xs" c={task.overdue ? 'red' : 'dimmed'} fw={task.overdue ? 600 : undefined}>
            {t('campaigns.tasks.dueOn', { date: vnDate(task.due_date) })}
          </Text>
        )}
        {canChange && (
          <Select
            size="xs"
            aria-label={t('campaigns.tasks.changeStatus')}
            data={TASK_STATUSES.map((s) => ({ value: s, label: enumLabel(t, 'campaigns.taskStatuses', s) }))}
            value={task.status}
            onChange={(v) => v && v !== task.status && onStatus(v as TaskStatus)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            data-testid="task-status"
          />
        )}
      </Stack>
    </Paper>
  );
}

/** "Nhiệm vụ": the tasks as a board by status; overdue ones stand out. */
export function TasksTab({ campaign, access }: { campaign: Campaign; access: CampaignAccess }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const errorMessage = useErrorMessage();
  const refresh = useRefreshCampaign(campaign.id);
  const tasks = useTasks(campaign.id);
  const [adding, setAdding] = useState(false);
  const local = isLocalOnly(me?.roles);
  const open = ACTIVE_STATUSES.includes(campaign.status);

  const change = useMutation({
    mutationFn: ({ task, status }: { task: Task; status: TaskStatus }) => updateTask(campaign.id, task, { status }),
    onSuccess: () => refresh(),
    onError: (err) => {
      refresh();
      notifications.show({
        color: 'red',
        message: err instanceof ApiError && err.status === 412 ? t('errors.stale_version') : errorMessage(err),
      });
    },
  });

  if (tasks.isPending) return <PageLoader />;
  if (tasks.isError) return <ErrorAlert error={tasks.error} onRetry={() => void tasks.refetch()} />;
  const board = tasksByStatus(tasks.data);
  const canChange = (task: Task) =>
    open && (access.editParts || task.assignee_user_id === me?.id || (local && task.admin_unit_id != null));

  return (
    <Section
      title={t('campaigns.tasks.title')}
      testId="tasks"
      actions={
        access.editParts && (
          <Button size="xs" onClick={() => setAdding(true)} data-testid="task-add">
            {t('campaigns.tasks.add')}
          </Button>
        )
      }
    >
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
        {TASK_STATUSES.map((status) => (
          <Paper key={status} bg="gray.0" p="xs" radius="sm" data-testid={`task-column-${status}`}>
            <Group justify="space-between" mb="xs">
              <Text fw={600} size="sm">
                {enumLabel(t, 'campaigns.taskStatuses', status)}
              </Text>
              <Badge size="sm" color={COLUMN_COLORS[status]} variant="light">
                {board[status].length}
              </Badge>
            </Group>
            <Stack gap="xs">
              {board[status].map((task) => (
                <TaskCard
                  key={task.id}
                  task={task}
                  canChange={canChange(task)}
                  onStatus={(s) => change.mutate({ task, status: s })}
                />
              ))}
              {board[status].length === 0 && (
                <Text size="xs" c="dimmed" ta="center" py="sm">
                  {t('campaigns.tasks.none')}
                </Text>
              )}
            </Stack>
          </Paper>
        ))}
      </SimpleGrid>
      {access.editParts && <TaskFormModal campaign={campaign} opened={adding} onClose={() => setAdding(false)} />}
    </Section>
  );
}
