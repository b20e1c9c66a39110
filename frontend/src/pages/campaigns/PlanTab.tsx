import { useState } from 'react';
import { Badge, Button, Group, Modal, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import type { Campaign, Revision } from '../../api/types';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { useAgencyNames } from '../../lib/useAgencies';
import type { CampaignAccess } from './access';
import {
  addUnit,
  campaignKeys,
  listRevisions,
  removeUnit,
  updateCampaign,
  useRefreshCampaign,
  useTasks,
  useUnits,
} from './campaignsApi';
import { assigneeOf, vnDate } from './model';
import { Section, UnitAddPicker } from './parts';
import { PlanDocument, type PlanTaskLine } from './PlanDocument';
import { PlanEditor, usePlanFormState } from './PlanEditor';
import { planFromContent, planToPayload, type PlanContent } from './planForm';
import { AmendDialog } from './Workflow';

function PlanEditForm({ campaign, onDone }: { campaign: Campaign; onDone: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshCampaign(campaign.id);
  const plan = usePlanFormState(() => planFromContent(campaign));
  const { server } = plan;

  const mutation = useMutation({
    mutationFn: () => updateCampaign(campaign, planToPayload(plan.form)),
    onSuccess: () => {
      refresh();
      notifications.show({ color: 'green', message: t('campaigns.plan.saved') });
      onDone();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 412) refresh();
      server.capture(err);
    },
  });

  return (
    <Stack>
      <PlanEditor {...plan.editor} />
      <ErrorAlert error={server.error} details={server.general} />
      <Group justify="flex-end" pos="sticky" bottom={0} py="sm" bg="gray.0">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button onClick={() => plan.check() && mutation.mutate()} loading={mutation.isPending} data-testid="plan-save">
          {t('campaigns.plan.save')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The units the plan covers, each with its report task's due date; editors add and remove them. */
function UnitsPanel({ campaign, editable }: { campaign: Campaign; editable: boolean }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const refresh = useRefreshCampaign(campaign.id);
  const units = useUnits(campaign.id);
  const add = useMutation({
    mutationFn: (unitId: number) => addUnit(campaign.id, unitId),
    onSuccess: (u) => {
      refresh();
      notifications.show({ color: 'green', message: t('campaigns.units.added', { name: u.name }) });
    },
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(err) }),
  });
  const remove = useMutation({
    mutationFn: (unitId: number) => removeUnit(campaign.id, unitId),
    onSuccess: () => refresh(),
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(err) }),
  });

  return (
    <Section title={t('campaigns.units.title')} testId="campaign-units">
      <Stack gap="sm">
        {units.isPending ? (
          <PageLoader />
        ) : units.isError ? (
          <ErrorAlert error={units.error} onRetry={() => void units.refetch()} />
        ) : units.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('campaigns.units.none')}
          </Text>
        ) : (
          <Table verticalSpacing={4} fz="sm" data-testid="units-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('campaigns.units.unit')}</Table.Th>
                <Table.Th>{t('campaigns.units.reportDue')}</Table.Th>
                {editable && (
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {units.data.map((u) => (
                <Table.Tr key={u.admin_unit_id} data-testid="unit-row">
                  <Table.Td>{u.name}</Table.Td>
                  <Table.Td>{u.report_due ? vnDate(u.report_due) : t('campaigns.units.dueAfterSchedule')}</Table.Td>
                  {editable && (
                    <Table.Td ta="right">
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        loading={remove.isPending && remove.variables === u.admin_unit_id}
                        onClick={() => remove.mutate(u.admin_unit_id)}
                      >
                        {t('campaigns.units.remove')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {editable && <UnitAddPicker onPick={(id) => add.mutate(id)} disabled={add.isPending} testId="unit-add" />}
      </Stack>
    </Section>
  );
}

/** The issued versions of the plan; each opens read-only. */
function RevisionsPanel({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation();
  const agencyNames = useAgencyNames('full');
  const [open, setOpen] = useState<Revision | null>(null);
  const revisions = useQuery({
    queryKey: campaignKeys.part(campaign.id, 'revisions', campaign.revision),
    queryFn: () => listRevisions(campaign.id),
  });
  if (revisions.isPending) return <PageLoader />;
  if (revisions.isError) return <ErrorAlert error={revisions.error} onRetry={() => void revisions.refetch()} />;
  const content = (open?.content ?? {}) as Partial<PlanContent> & {
    units?: { name: string }[];
    tasks?: {
      description: string;
      assignee_agency_id?: number | null;
      assignee_label?: string | null;
      due_date?: string | null;
    }[];
  };
  const tasks: PlanTaskLine[] = (content.tasks ?? []).map((task) => ({
    description: task.description,
    assignee: [task.assignee_agency_id != null ? agencyNames.get(task.assignee_agency_id) : null, task.assignee_label]
      .filter(Boolean)
      .join(' · '),
    due: task.due_date,
  }));
  return (
    <Section title={t('campaigns.revisions.title')} testId="revisions">
      <Table verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('campaigns.revisions.revision')}</Table.Th>
            <Table.Th>{t('campaigns.fields.documentNumber')}</Table.Th>
            <Table.Th>{t('campaigns.revisions.reason')}</Table.Th>
            <Table.Th>{t('campaigns.revisions.at')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {revisions.data.map((r) => (
            <Table.Tr key={r.id} data-testid="revision-row">
              <Table.Td>
                {r.revision}
                {r.revision === campaign.revision && (
                  <Badge ml={6} size="xs" variant="light">
                    {t('campaigns.revisions.current')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{r.document_number ?? t('common.none')}</Table.Td>
              <Table.Td>{r.reason ?? t('campaigns.revisions.firstIssue')}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.created_at)}</Table.Td>
              <Table.Td ta="right">
                <Button size="compact-xs" variant="light" onClick={() => setOpen(r)}>
                  {t('campaigns.revisions.view')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal
        opened={open !== null}
        onClose={() => setOpen(null)}
        title={open ? t('campaigns.revisions.viewTitle', { revision: open.revision }) : ''}
        size="60rem"
      >
        {open && (
          <PlanDocument
            plan={content}
            documentNumber={open.document_number}
            units={content.units ?? []}
            tasks={tasks}
            agencyNames={agencyNames}
            testId="revision-document"
          />
        )}
      </Modal>
    </Section>
  );
}

/** "Kế hoạch": the plan as a document, its editor (draft), units, amendments and revisions. */
export function PlanTab({ campaign, access }: { campaign: Campaign; access: CampaignAccess }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [amending, setAmending] = useState(false);
  const agencyNames = useAgencyNames('full');
  const tasks = useTasks(campaign.id);
  const planTasks: PlanTaskLine[] = (tasks.data ?? [])
    .filter((task) => task.kind === 'plan')
    .map((task) => ({ description: task.description, assignee: assigneeOf(task), due: task.due_date }));

  if (editing && campaign.editable) return <PlanEditForm campaign={campaign} onDone={() => setEditing(false)} />;
  return (
    <Stack gap="md">
      {(campaign.editable || access.amend) && (
        <Group gap="xs">
          {campaign.editable && (
            <Button variant="light" onClick={() => setEditing(true)} data-testid="plan-edit">
              {t('campaigns.plan.edit')}
            </Button>
          )}
          {access.amend && (
            <Button variant="light" color="indigo" onClick={() => setAmending(true)} data-testid="plan-amend">
              {t('campaigns.amend.open')}
            </Button>
          )}
        </Group>
      )}
      <PlanDocument
        plan={campaign}
        documentNumber={campaign.document_number}
        agencyName={campaign.issuing_agency_name}
        units={campaign.units}
        tasks={planTasks}
        agencyNames={agencyNames}
      />
      <UnitsPanel campaign={campaign} editable={access.editParts} />
      {campaign.revision > 0 && <RevisionsPanel campaign={campaign} />}
      {access.amend && <AmendDialog campaign={campaign} opened={amending} onClose={() => setAmending(false)} />}
    </Stack>
  );
}
