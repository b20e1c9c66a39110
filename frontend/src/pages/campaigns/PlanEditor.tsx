import { useMemo, useState } from 'react';
import {
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { COUNTERPART_ROLES, SIGNER_PREFIXES, TEAM_ROLES } from '../../api/types';
import { EntitySelect } from '../../components/EntitySelect';
import { useServerErrors } from '../../lib/forms';
import { useAgencyList } from '../../lib/useAgencies';
import { enumLabel } from '../registry/labels';
import { LinesEditor, ListEditor } from './ListEditor';
import { quarterRoman } from './model';
import {
  EMPTY_COMPOSITION,
  EMPTY_COUNTERPART,
  EMPTY_LEGAL_BASIS,
  EMPTY_RECIPIENT,
  nextAreaNumber,
  PLAN_SERVER_FIELDS,
  validatePlan,
  type PlanErrors,
  type PlanForm,
} from './planForm';
import { Section } from './parts';

/** Every agency (including those dissolved in 2025: older plans name them) for multi-choice lines. */
function AgencyMultiSelect({
  label,
  value,
  onChange,
}: {
  label: string;
  value: number[];
  onChange: (ids: number[]) => void;
}) {
  const { t } = useTranslation();
  const agencies = useAgencyList();
  const data = useMemo(
    () =>
      (agencies.data ?? []).map((a) => ({
        value: String(a.id),
        label: a.short_name ? `${a.name} (${a.short_name})` : a.name,
      })),
    [agencies.data],
  );
  return (
    <MultiSelect
      label={label}
      placeholder={value.length ? undefined : t('campaigns.form.chooseAgencies')}
      data={data}
      value={value.map(String)}
      onChange={(v) => onChange(v.map(Number))}
      searchable
      clearable
      size="xs"
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** The editor's state: the form, its checks and the server's messages; `check()` before saving. */
export function usePlanFormState(initial: () => PlanForm) {
  const [form, setForm] = useState<PlanForm>(initial);
  const [errors, setErrors] = useState<PlanErrors>({});
  const server = useServerErrors(PLAN_SERVER_FIELDS);
  const check = (): boolean => {
    const e = validatePlan(form);
    setErrors(e);
    server.reset();
    return Object.keys(e).length === 0;
  };
  /** Props for <PlanEditor>. */
  const editor = { value: form, onChange: setForm, errors, serverErrors: server.fieldErrors };
  return { form, setForm, setErrors, server, check, editor };
}

interface Props {
  value: PlanForm;
  onChange: (value: PlanForm) => void;
  /** Client-side checks (i18n keys). */
  errors: PlanErrors;
  /** Server-side messages by field name. */
  serverErrors?: Partial<Record<string, string>>;
}

/** The plan document as a form, section by section in document order. */
export function PlanEditor({ value, onChange, errors, serverErrors = {} }: Props) {
  const { t } = useTranslation();
  const set = <K extends keyof PlanForm>(key: K, v: PlanForm[K]) => onChange({ ...value, [key]: v });
  const err = (key: keyof PlanErrors) => (errors[key] ? t(errors[key]!) : serverErrors[key]);
  const period = value.period;
  const setPeriod = (changes: Partial<PlanForm['period']>) => set('period', { ...period, ...changes });

  return (
    <Stack gap="md" data-testid="plan-editor">
      <Section title={t('campaigns.plan.general')}>
        <Stack gap="sm">
          <Textarea
            label={t('campaigns.fields.title')}
            description={t('campaigns.form.titleHint')}
            value={value.title}
            onChange={(e) => set('title', e.currentTarget.value)}
            error={err('title')}
            required
            autosize
            minRows={1}
            data-testid="plan-title"
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput
              label={t('campaigns.fields.year')}
              value={value.year}
              onChange={(v) => set('year', typeof v === 'number' ? v : '')}
              error={err('year')}
              min={2000}
              max={2100}
              required
              data-testid="plan-year"
            />
            <EntitySelect
              source="agencies"
              label={t('campaigns.fields.agency')}
              placeholder={t('campaigns.form.chooseAgency')}
              value={value.issuing_agency_id}
              onChange={(v) => set('issuing_agency_id', v)}
              error={err('issuing_agency_id')}
              required
              data-testid="plan-agency"
            />
            <TextInput
              label={t('campaigns.fields.place')}
              description={t('campaigns.form.placeHint')}
              value={value.place}
              onChange={(e) => set('place', e.currentTarget.value)}
              error={err('place')}
              required
              data-testid="plan-place"
            />
          </SimpleGrid>
          <TextInput
            type="date"
            label={t('campaigns.fields.documentDate')}
            description={t('campaigns.form.documentDateHint')}
            value={value.document_date}
            onChange={(e) => set('document_date', e.currentTarget.value)}
            error={err('document_date')}
            w={{ base: '100%', sm: 240 }}
          />
          <Textarea
            label={t('campaigns.fields.introduction')}
            value={value.introduction}
            onChange={(e) => set('introduction', e.currentTarget.value)}
            error={err('introduction')}
            autosize
            minRows={2}
          />
        </Stack>
      </Section>

      <Section title={t('campaigns.doc.bases')}>
        <ListEditor
          label={t('campaigns.fields.legalBases')}
          items={value.legal_bases}
          onChange={(v) => set('legal_bases', v)}
          newItem={() => ({ ...EMPTY_LEGAL_BASIS })}
          error={serverErrors.legal_bases}
          testId="plan-bases"
          renderItem={(b, update) => (
            <Stack gap={6}>
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
                <TextInput
                  size="xs"
                  label={t('campaigns.fields.basisNumber')}
                  value={b.number}
                  onChange={(e) => update({ ...b, number: e.currentTarget.value })}
                  required
                />
                <TextInput
                  size="xs"
                  type="date"
                  label={t('campaigns.fields.basisDate')}
                  value={b.date}
                  onChange={(e) => update({ ...b, date: e.currentTarget.value })}
                />
                <TextInput
                  size="xs"
                  label={t('campaigns.fields.basisIssuer')}
                  value={b.issuer}
                  onChange={(e) => update({ ...b, issuer: e.currentTarget.value })}
                />
              </SimpleGrid>
              <Textarea
                size="xs"
                label={t('campaigns.fields.basisSubject')}
                value={b.subject}
                onChange={(e) => update({ ...b, subject: e.currentTarget.value })}
                autosize
                minRows={1}
              />
            </Stack>
          )}
        />
      </Section>

      <Section title={t('campaigns.doc.purposes')}>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <LinesEditor
            label={t('campaigns.doc.purpose')}
            items={value.purposes}
            onChange={(v) => set('purposes', v)}
            testId="plan-purposes"
          />
          <LinesEditor
            label={t('campaigns.doc.requirement')}
            items={value.requirements}
            onChange={(v) => set('requirements', v)}
            testId="plan-requirements"
          />
        </SimpleGrid>
      </Section>

      <Section title={t('campaigns.doc.content')}>
        <ListEditor
          label={t('campaigns.fields.contentAreas')}
          description={t('campaigns.form.areasHint')}
          items={value.content_areas}
          onChange={(v) => set('content_areas', v)}
          newItem={() => ({ number: nextAreaNumber(value.content_areas), title: '' })}
          error={err('content_areas')}
          addLabel={t('campaigns.form.addArea')}
          testId="plan-areas"
          renderItem={(a, update) => (
            <Group align="flex-start" gap="xs" wrap="nowrap">
              <NumberInput
                size="xs"
                w={70}
                aria-label={t('campaigns.fields.areaNumber')}
                value={a.number}
                onChange={(v) => update({ ...a, number: typeof v === 'number' ? v : '' })}
                min={1}
                max={20}
              />
              <Textarea
                size="xs"
                style={{ flex: 1 }}
                aria-label={t('campaigns.fields.areaTitle')}
                placeholder={t('campaigns.fields.areaTitle')}
                value={a.title}
                onChange={(e) => update({ ...a, title: e.currentTarget.value })}
                autosize
                minRows={1}
                data-testid="plan-area-title"
              />
            </Group>
          )}
        />
      </Section>

      <Section title={t('campaigns.doc.methods')}>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <LinesEditor
            label={t('campaigns.doc.method')}
            items={value.methods}
            onChange={(v) => set('methods', v)}
            testId="plan-methods"
          />
          <LinesEditor
            label={t('campaigns.doc.target')}
            items={value.targets}
            onChange={(v) => set('targets', v)}
            testId="plan-targets"
          />
        </SimpleGrid>
      </Section>

      <Section title={t('campaigns.doc.composition')}>
        <Stack gap="md">
          <ListEditor
            label={t('campaigns.doc.team')}
            items={value.team_composition}
            onChange={(v) => set('team_composition', v)}
            newItem={() => ({ ...EMPTY_COMPOSITION })}
            testId="plan-composition"
            renderItem={(line, update) => (
              <Stack gap={6}>
                <Textarea
                  size="xs"
                  aria-label={t('campaigns.fields.description')}
                  placeholder={t('campaigns.form.compositionPlaceholder')}
                  value={line.description}
                  onChange={(e) => update({ ...line, description: e.currentTarget.value })}
                  autosize
                  minRows={1}
                />
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
                  <AgencyMultiSelect
                    label={t('campaigns.fields.agencies')}
                    value={line.agency_ids}
                    onChange={(ids) => update({ ...line, agency_ids: ids })}
                  />
                  <Select
                    size="xs"
                    label={t('campaigns.fields.teamRole')}
                    placeholder={t('common.none')}
                    data={TEAM_ROLES.map((r) => ({ value: r, label: enumLabel(t, 'campaigns.teamRoles', r) }))}
                    value={line.team_role}
                    onChange={(v) => update({ ...line, team_role: v as typeof line.team_role })}
                    clearable
                    comboboxProps={{ withinPortal: true }}
                  />
                </SimpleGrid>
                <Checkbox
                  size="xs"
                  label={t('campaigns.fields.invitedAsNeeded')}
                  checked={line.invited_as_needed}
                  onChange={(e) => update({ ...line, invited_as_needed: e.currentTarget.checked })}
                />
              </Stack>
            )}
          />
          <ListEditor
            label={t('campaigns.doc.counterparts')}
            items={value.counterparts}
            onChange={(v) => set('counterparts', v)}
            newItem={() => ({ ...EMPTY_COUNTERPART })}
            testId="plan-counterparts"
            renderItem={(cp, update) => <CounterpartFields value={cp} onChange={update} />}
          />
        </Stack>
      </Section>

      <Section title={t('campaigns.doc.time')}>
        <Stack gap="sm">
          <SegmentedControl
            value={period.kind}
            onChange={(v) => setPeriod({ kind: v as typeof period.kind })}
            data={[
              { value: 'none', label: t('campaigns.period.none') },
              { value: 'quarter', label: t('campaigns.period.quarter') },
              { value: 'dates', label: t('campaigns.period.dates') },
            ]}
            w={{ base: '100%', sm: 'fit-content' }}
            data-testid="plan-period-kind"
          />
          {period.kind === 'quarter' && (
            <Group gap="sm" align="flex-start">
              <Select
                label={t('campaigns.period.quarterLabel')}
                data={[1, 2, 3, 4].map((q) => ({
                  value: String(q),
                  label: t('campaigns.period.quarterOption', { q: quarterRoman(q) }),
                }))}
                value={period.quarter ? String(period.quarter) : null}
                onChange={(v) => setPeriod({ quarter: v ? Number(v) : null })}
                error={err('period.quarter')}
                w={160}
                required
                comboboxProps={{ withinPortal: true }}
                data-testid="plan-period-quarter"
              />
              <NumberInput
                label={t('campaigns.fields.year')}
                value={period.year}
                onChange={(v) => setPeriod({ year: typeof v === 'number' ? v : '' })}
                error={err('period')}
                min={2000}
                max={2100}
                w={120}
                required
                data-testid="plan-period-year"
              />
            </Group>
          )}
          {period.kind === 'dates' && (
            <Group gap="sm" align="flex-start">
              <TextInput
                type="date"
                label={t('campaigns.period.start')}
                value={period.start}
                onChange={(e) => setPeriod({ start: e.currentTarget.value })}
                error={err('period.start')}
                required
                data-testid="plan-period-start"
              />
              <TextInput
                type="date"
                label={t('campaigns.period.end')}
                value={period.end}
                onChange={(e) => setPeriod({ end: e.currentTarget.value })}
                error={err('period.end')}
                required
                data-testid="plan-period-end"
              />
            </Group>
          )}
          {period.kind !== 'none' && (
            <Textarea
              label={t('campaigns.period.note')}
              placeholder={t('campaigns.period.notePlaceholder')}
              value={period.note}
              onChange={(e) => setPeriod({ note: e.currentTarget.value })}
              autosize
              minRows={1}
            />
          )}
          {serverErrors.period && (
            <Text size="xs" c="red">
              {serverErrors.period}
            </Text>
          )}
        </Stack>
      </Section>

      <Section title={t('campaigns.plan.closingAndSigner')}>
        <Stack gap="sm">
          <Textarea
            label={t('campaigns.fields.closing')}
            value={value.closing}
            onChange={(e) => set('closing', e.currentTarget.value)}
            autosize
            minRows={2}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('campaigns.fields.signerPrefix')}
              placeholder={t('common.none')}
              data={SIGNER_PREFIXES.map((p) => ({ value: p, label: p }))}
              value={value.signer_prefix}
              onChange={(v) => set('signer_prefix', v as PlanForm['signer_prefix'])}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              label={t('campaigns.fields.signerTitle')}
              placeholder="GIÁM ĐỐC"
              value={value.signer_title}
              onChange={(e) => set('signer_title', e.currentTarget.value)}
              error={serverErrors.signer_title}
            />
            <TextInput
              label={t('campaigns.fields.signerName')}
              value={value.signer_name}
              onChange={(e) => set('signer_name', e.currentTarget.value)}
              error={serverErrors.signer_name}
            />
          </SimpleGrid>
        </Stack>
      </Section>

      <Section title={t('campaigns.doc.recipients')}>
        <ListEditor
          label={t('campaigns.doc.recipients')}
          items={value.recipients}
          onChange={(v) => set('recipients', v)}
          newItem={() => ({ ...EMPTY_RECIPIENT })}
          testId="plan-recipients"
          renderItem={(r, update) => (
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
              <TextInput
                size="xs"
                label={t('campaigns.fields.recipientName')}
                value={r.name}
                onChange={(e) => update({ ...r, name: e.currentTarget.value })}
                required
              />
              <TextInput
                size="xs"
                label={t('campaigns.fields.recipientPurpose')}
                placeholder="B/c, t/h"
                value={r.purpose}
                onChange={(e) => update({ ...r, purpose: e.currentTarget.value })}
              />
              <AgencyMultiSelect
                label={t('campaigns.fields.agencies')}
                value={r.agency_ids}
                onChange={(ids) => update({ ...r, agency_ids: ids })}
              />
            </SimpleGrid>
          )}
        />
      </Section>
    </Stack>
  );
}

type CounterpartValue = PlanForm['counterparts'][number];

/** Who meets the team: role, description and (optionally) the agency; also used by the visit form. */
export function CounterpartFields({
  value,
  onChange,
}: {
  value: CounterpartValue;
  onChange: (v: CounterpartValue) => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={6}>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <Select
          size="xs"
          label={t('campaigns.fields.counterpartRole')}
          data={COUNTERPART_ROLES.map((r) => ({ value: r, label: enumLabel(t, 'campaigns.counterpartRoles', r) }))}
          value={value.role}
          onChange={(v) => v && onChange({ ...value, role: v as CounterpartValue['role'] })}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <EntitySelect
          source="agencies"
          label={t('campaigns.fields.agencyOptional')}
          value={value.agency_id}
          onChange={(v) => onChange({ ...value, agency_id: v })}
        />
      </SimpleGrid>
      <Textarea
        size="xs"
        aria-label={t('campaigns.fields.description')}
        placeholder={t('campaigns.fields.description')}
        value={value.description}
        onChange={(e) => onChange({ ...value, description: e.currentTarget.value })}
        autosize
        minRows={1}
      />
    </Stack>
  );
}
