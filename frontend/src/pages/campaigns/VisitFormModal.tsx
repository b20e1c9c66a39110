import { useEffect, useMemo, useState } from 'react';
import { Modal, MultiSelect, SegmentedControl, Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import { VISIT_KINDS, type Campaign, type TeamMember, type Visit } from '../../api/types';
import { EntitySelect } from '../../components/EntitySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useServerErrors } from '../../lib/forms';
import { enumLabel } from '../registry/labels';
import { listProducts } from '../registry/registryApi';
import { createVisit, updateVisit, useRefreshCampaign } from './campaignsApi';
import { ListEditor } from './ListEditor';
import { CounterpartFields } from './PlanEditor';
import { FormActions } from './parts';
import { EMPTY_COUNTERPART } from './planForm';
import {
  emptyVisit,
  formToVisit,
  validateVisit,
  visitToForm,
  type TargetForm,
  type VisitErrors,
  type VisitForm,
} from './visitForm';

const VISIT_FIELDS = [
  'starts_at',
  'ends_at',
  'place',
  'admin_unit_id',
  'host_agency_id',
  'programme',
  'team_member_ids',
  'targets',
] as const;

/** A producer (searched) and, optionally, one of its products. */
function TargetFields({ value, onChange }: { value: TargetForm; onChange: (v: TargetForm) => void }) {
  const { t } = useTranslation();
  const products = useQuery({
    queryKey: ['producer-products', value.producer_id],
    queryFn: () => listProducts({ producer_id: value.producer_id! }, undefined, 100),
    enabled: value.producer_id != null,
  });
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
      <EntitySelect
        source="producers"
        label={t('campaigns.visits.producer')}
        placeholder={t('campaigns.visits.producerPlaceholder')}
        value={value.producer_id}
        onChange={(v) => onChange({ producer_id: v, product_id: null })}
        data-testid="visit-target-producer"
      />
      <Select
        label={t('campaigns.visits.product')}
        placeholder={t('campaigns.visits.anyProduct')}
        data={(products.data?.items ?? []).map((p) => ({ value: String(p.id), label: p.name }))}
        value={value.product_id != null ? String(value.product_id) : null}
        onChange={(v) => onChange({ ...value, product_id: v ? Number(v) : null })}
        disabled={value.producer_id == null}
        clearable
        searchable
        comboboxProps={{ withinPortal: true }}
      />
    </SimpleGrid>
  );
}

interface Props {
  campaign: Campaign;
  team: readonly TeamMember[];
  opened: boolean;
  onClose: () => void;
  /** The visit to edit; null to schedule a new one. */
  visit: Visit | null;
  /** Values of a new visit (e.g. from a suggestion). */
  preset?: Partial<VisitForm>;
}

/** Schedules or edits a working session or site visit. */
export function VisitFormModal({ campaign, team, opened, onClose, visit, preset }: Props) {
  const { t } = useTranslation();
  const refresh = useRefreshCampaign(campaign.id);
  const [form, setForm] = useState<VisitForm>(() => emptyVisit());
  const [errors, setErrors] = useState<VisitErrors>({});
  const server = useServerErrors(VISIT_FIELDS);
  const { reset } = server;

  useEffect(() => {
    if (!opened) return;
    setForm(
      visit
        ? visitToForm(visit)
        : emptyVisit({ admin_unit_id: campaign.units?.[0]?.id ?? null, date: campaign.period_start ?? '', ...preset }),
    );
    setErrors({});
    reset();
    // only when the dialog opens
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const set = <K extends keyof VisitForm>(key: K, v: VisitForm[K]) => setForm((f) => ({ ...f, [key]: v }));
  const err = (key: keyof VisitErrors) => (errors[key] ? t(errors[key]!) : undefined);
  const members = useMemo(
    () =>
      team.map((m) => ({
        value: String(m.id),
        label: `${m.full_name} (${enumLabel(t, 'campaigns.teamRoles', m.role)})`,
      })),
    [team, t],
  );

  const mutation = useMutation({
    mutationFn: () => (visit ? updateVisit(visit, formToVisit(form)) : createVisit(campaign.id, formToVisit(form))),
    onSuccess: () => {
      refresh();
      notifications.show({
        color: 'green',
        message: t(visit ? 'campaigns.visits.updated' : 'campaigns.visits.created'),
      });
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 412) refresh();
      server.capture(e);
    },
  });

  const submit = () => {
    const e = validateVisit(form);
    setErrors(e);
    reset();
    if (Object.keys(e).length === 0) mutation.mutate();
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={visit ? t('campaigns.visits.editTitle') : t('campaigns.visits.addTitle')}
      size="xl"
      centered
    >
      <Stack data-testid="visit-form">
        <ErrorAlert error={server.error} details={server.general} />
        <SegmentedControl
          value={form.kind}
          onChange={(v) => set('kind', v as VisitForm['kind'])}
          data={VISIT_KINDS.map((k) => ({ value: k, label: enumLabel(t, 'campaigns.visitKinds', k) }))}
          data-testid="visit-kind"
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            type="date"
            label={t('campaigns.visits.date')}
            value={form.date}
            onChange={(e) => set('date', e.currentTarget.value)}
            error={err('date') ?? server.fieldErrors.starts_at}
            required
            data-testid="visit-date"
          />
          <TextInput
            type="time"
            label={t('campaigns.visits.start')}
            value={form.start}
            onChange={(e) => set('start', e.currentTarget.value)}
            error={err('start')}
            required
            data-testid="visit-start"
          />
          <TextInput
            type="time"
            label={t('campaigns.visits.end')}
            value={form.end}
            onChange={(e) => set('end', e.currentTarget.value)}
            error={err('end') ?? server.fieldErrors.ends_at}
            required
            data-testid="visit-end"
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <EntitySelect
            source="admin-units"
            anyTime
            label={t('campaigns.visits.unit')}
            value={form.admin_unit_id}
            onChange={(v) => set('admin_unit_id', v)}
            error={err('admin_unit_id') ?? server.fieldErrors.admin_unit_id}
            description={t('campaigns.visits.unitHint')}
            required
            data-testid="visit-unit"
          />
          <EntitySelect
            source="agencies"
            label={t('campaigns.visits.host')}
            value={form.host_agency_id}
            onChange={(v) => set('host_agency_id', v)}
            error={server.fieldErrors.host_agency_id}
          />
        </SimpleGrid>
        <TextInput
          label={t('campaigns.visits.place')}
          value={form.place}
          onChange={(e) => set('place', e.currentTarget.value)}
          error={err('place') ?? server.fieldErrors.place}
          required
          data-testid="visit-place"
        />
        <Textarea
          label={t('campaigns.visits.programme')}
          value={form.programme}
          onChange={(e) => set('programme', e.currentTarget.value)}
          error={server.fieldErrors.programme}
          autosize
          minRows={2}
          data-testid="visit-programme"
        />
        {form.kind === 'site_visit' && (
          <ListEditor
            label={t('campaigns.visits.targets')}
            items={form.targets}
            onChange={(v) => set('targets', v)}
            newItem={() => ({ producer_id: null, product_id: null })}
            error={err('targets') ?? server.fieldErrors.targets}
            addLabel={t('campaigns.visits.addTarget')}
            testId="visit-targets"
            renderItem={(target, update) => <TargetFields value={target} onChange={update} />}
          />
        )}
        <ListEditor
          label={t('campaigns.visits.counterparts')}
          items={form.counterparts}
          onChange={(v) => set('counterparts', v)}
          newItem={() => ({ ...EMPTY_COUNTERPART })}
          testId="visit-counterparts"
          renderItem={(cp, update) => <CounterpartFields value={cp} onChange={update} />}
        />
        <MultiSelect
          label={t('campaigns.visits.members')}
          description={t('campaigns.visits.membersHint')}
          placeholder={form.team_member_ids.length ? undefined : t('campaigns.visits.wholeTeam')}
          data={members}
          value={form.team_member_ids.map(String)}
          onChange={(v) => set('team_member_ids', v.map(Number))}
          error={server.fieldErrors.team_member_ids}
          clearable
          searchable
          comboboxProps={{ withinPortal: true }}
        />
        <FormActions onCancel={onClose} onSubmit={submit} loading={mutation.isPending} testId="visit-save" />
      </Stack>
    </Modal>
  );
}
