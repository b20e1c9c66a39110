import { useEffect, useState } from 'react';
import {
  Badge,
  Button,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import {
  ANSWER_TYPES,
  APPLIES_TO,
  EVIDENCE_KINDS,
  SEVERITIES,
  type Campaign,
  type CampaignChecklist,
  type ChecklistItem,
  type ChecklistItemIn,
} from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/States';
import { blankToNull, useServerErrors } from '../../lib/forms';
import { enumLabel } from '../registry/labels';
import { addChecklistItem, campaignKeys, deleteChecklistItem, getChecklist, updateChecklistItem } from './campaignsApi';
import { SeverityBadge } from '../inspections/parts';
import { ConfirmButton, FormActions, Section } from './parts';

const ITEM_FIELDS = [
  'code',
  'content_area',
  'question',
  'guidance',
  'legal_reference',
  'answer_type',
  'evidence',
  'severity',
  'applies_to',
] as const;

type ItemValues = Omit<ChecklistItemIn, 'position' | 'guidance' | 'legal_reference'> & {
  guidance: string;
  legal_reference: string;
};

const emptyItem = (area: number): ItemValues => ({
  code: '',
  content_area: area,
  question: '',
  guidance: '',
  legal_reference: '',
  answer_type: 'yes_no_na',
  evidence: 'none',
  severity: 'minor',
  applies_to: 'producer',
});

const itemValues = (i: ChecklistItem): ItemValues => ({
  code: i.code,
  content_area: i.content_area,
  question: i.question,
  guidance: i.guidance ?? '',
  legal_reference: i.legal_reference ?? '',
  answer_type: i.answer_type,
  evidence: i.evidence,
  severity: i.severity,
  applies_to: i.applies_to as ItemValues['applies_to'],
});

interface FormProps {
  campaign: Campaign;
  opened: boolean;
  onClose: () => void;
  item: ChecklistItem | null;
  area: number;
  onSaved: (c: CampaignChecklist) => void;
}

function ItemFormModal({ campaign, opened, onClose, item, area, onSaved }: FormProps) {
  const { t } = useTranslation();
  const [values, setValues] = useState<ItemValues>(() => emptyItem(area));
  const [missing, setMissing] = useState<Partial<Record<'code' | 'question', boolean>>>({});
  const server = useServerErrors(ITEM_FIELDS);
  const { reset } = server;

  useEffect(() => {
    if (opened) {
      setValues(item ? itemValues(item) : emptyItem(area));
      setMissing({});
      reset();
    }
  }, [opened, item, area, reset]);

  const set = <K extends keyof ItemValues>(key: K, v: ItemValues[K]) => setValues((x) => ({ ...x, [key]: v }));
  const choice =
    <K extends keyof ItemValues>(key: K) =>
    (v: string | null) =>
      v && set(key, v as ItemValues[K]);

  const mutation = useMutation({
    mutationFn: () => {
      const { code, ...rest } = values;
      const body = {
        ...rest,
        guidance: blankToNull(values.guidance),
        legal_reference: blankToNull(values.legal_reference),
        question: values.question.trim(),
      };
      return item
        ? updateChecklistItem(campaign.id, item, body)
        : addChecklistItem(campaign.id, { ...body, code: code.trim() });
    },
    onSuccess: (saved) => {
      onSaved(saved);
      notifications.show({ color: 'green', message: t('campaigns.checklist.saved') });
      onClose();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'duplicate_item_code') {
        reset();
        server.setFieldErrors({ code: t('errors.duplicate_item_code') });
        return;
      }
      server.capture(err);
    },
  });

  const submit = () => {
    const m = { code: !item && !values.code.trim(), question: !values.question.trim() };
    setMissing(m);
    reset();
    if (!m.code && !m.question) mutation.mutate();
  };

  const areas = campaign.content_areas.map((a) => ({ value: String(a.number), label: `${a.number}. ${a.title}` }));
  if (!areas.some((a) => a.value === String(values.content_area))) {
    areas.push({ value: String(values.content_area), label: String(values.content_area) });
  }
  const options = (group: string, list: readonly string[]) =>
    list.map((v) => ({ value: v, label: enumLabel(t, group, v) }));

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={item ? t('campaigns.checklist.editTitle', { code: item.code }) : t('campaigns.checklist.addTitle')}
      size="xl"
      centered
    >
      <Stack data-testid="checklist-form">
        <ErrorAlert error={server.error} details={server.general} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('campaigns.checklist.code')}
            value={values.code}
            onChange={(e) => set('code', e.currentTarget.value)}
            disabled={item !== null}
            error={missing.code ? t('account.required') : server.fieldErrors.code}
            required
            data-testid="checklist-code"
          />
          <Select
            label={t('campaigns.checklist.area')}
            data={areas}
            value={String(values.content_area)}
            onChange={(v) => v && set('content_area', Number(v))}
            allowDeselect={false}
            error={server.fieldErrors.content_area}
            comboboxProps={{ withinPortal: true }}
          />
        </SimpleGrid>
        <Textarea
          label={t('campaigns.checklist.question')}
          value={values.question}
          onChange={(e) => set('question', e.currentTarget.value)}
          error={missing.question ? t('account.required') : server.fieldErrors.question}
          required
          autosize
          minRows={2}
          data-testid="checklist-question"
        />
        <Textarea
          label={t('campaigns.checklist.guidance')}
          value={values.guidance}
          onChange={(e) => set('guidance', e.currentTarget.value)}
          autosize
          minRows={1}
        />
        <TextInput
          label={t('campaigns.checklist.legalReference')}
          value={values.legal_reference}
          onChange={(e) => set('legal_reference', e.currentTarget.value)}
        />
        <SimpleGrid cols={{ base: 1, sm: 4 }}>
          <Select
            label={t('campaigns.checklist.answerType')}
            data={options('campaigns.answerTypes', ANSWER_TYPES)}
            value={values.answer_type}
            onChange={choice('answer_type')}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t('campaigns.checklist.evidence')}
            data={options('campaigns.evidence', EVIDENCE_KINDS)}
            value={values.evidence ?? 'none'}
            onChange={choice('evidence')}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t('campaigns.checklist.severity')}
            data={options('campaigns.severities', SEVERITIES)}
            value={values.severity}
            onChange={choice('severity')}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t('campaigns.checklist.appliesTo')}
            data={options('campaigns.appliesTo', APPLIES_TO)}
            value={values.applies_to ?? 'producer'}
            onChange={choice('applies_to')}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
        </SimpleGrid>
        <FormActions onCancel={onClose} onSubmit={submit} loading={mutation.isPending} testId="checklist-save" />
      </Stack>
    </Modal>
  );
}

/** "Bảng kiểm": the checklist items under the plan's content areas; editable only while the plan is a draft. */
export function ChecklistTab({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = campaignKeys.part(campaign.id, 'checklist');
  const checklist = useQuery({ queryKey: key, queryFn: () => getChecklist(campaign.id) });
  const [form, setForm] = useState<{ item: ChecklistItem | null; area: number } | null>(null);

  const saved = (c: CampaignChecklist) => {
    queryClient.setQueryData(key, c);
    void queryClient.invalidateQueries({ queryKey: key });
  };
  if (checklist.isPending) return <PageLoader />;
  if (checklist.isError) return <ErrorAlert error={checklist.error} onRetry={() => void checklist.refetch()} />;
  const { template, sections, editable } = checklist.data;
  const options = (group: string, v: string) => enumLabel(t, group, v);

  return (
    <Stack gap="md" data-testid="checklist">
      <Group justify="space-between">
        <div>
          <Title order={3} size="h4">
            {template.name}
          </Title>
          <Text size="xs" c="dimmed">
            {t('campaigns.checklist.template', {
              code: template.code,
              version: template.version,
              count: template.item_count ?? 0,
            })}
          </Text>
        </div>
        <Group gap="xs">
          {editable ? (
            <Badge color="green" variant="light" data-testid="checklist-editable">
              {t('campaigns.checklist.editable')}
            </Badge>
          ) : (
            <Badge color="gray" variant="filled" data-testid="checklist-frozen">
              {t('campaigns.checklist.frozen')}
            </Badge>
          )}
          {editable && (
            <Button
              size="xs"
              onClick={() => setForm({ item: null, area: campaign.content_areas[0]?.number ?? 1 })}
              data-testid="checklist-add"
            >
              {t('campaigns.checklist.add')}
            </Button>
          )}
        </Group>
      </Group>
      {!editable && (
        <Text size="sm" c="dimmed">
          {t('campaigns.checklist.frozenHint')}
        </Text>
      )}
      {sections.map((section) => (
        <Section
          key={section.content_area}
          title={`${section.content_area}. ${section.title ?? t('campaigns.checklist.areaNotInPlan')}`}
          testId="checklist-section"
          actions={
            editable && (
              <Button
                size="compact-xs"
                variant="light"
                onClick={() => setForm({ item: null, area: section.content_area })}
              >
                {t('campaigns.checklist.addHere')}
              </Button>
            )
          }
        >
          {section.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('campaigns.checklist.noItems')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={900}>
              <Table verticalSpacing={6} fz="sm" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('campaigns.checklist.code')}</Table.Th>
                    <Table.Th>{t('campaigns.checklist.question')}</Table.Th>
                    <Table.Th>{t('campaigns.checklist.answerType')}</Table.Th>
                    <Table.Th>{t('campaigns.checklist.evidence')}</Table.Th>
                    <Table.Th>{t('campaigns.checklist.severity')}</Table.Th>
                    <Table.Th>{t('campaigns.checklist.appliesTo')}</Table.Th>
                    {editable && (
                      <Table.Th>
                        <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                      </Table.Th>
                    )}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {section.items.map((item) => (
                    <Table.Tr key={item.code} data-testid="checklist-item">
                      <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                        {item.code}
                      </Table.Td>
                      <Table.Td>
                        {item.question}
                        {item.guidance && (
                          <Text size="xs" c="dimmed">
                            {item.guidance}
                          </Text>
                        )}
                        {item.legal_reference && (
                          <Text size="xs" c="dimmed" fs="italic">
                            {item.legal_reference}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{options('campaigns.answerTypes', item.answer_type)}</Table.Td>
                      <Table.Td>{options('campaigns.evidence', item.evidence)}</Table.Td>
                      <Table.Td>
                        <SeverityBadge severity={item.severity} />
                      </Table.Td>
                      <Table.Td>{options('campaigns.appliesTo', item.applies_to)}</Table.Td>
                      {editable && (
                        <Table.Td>
                          <Group gap={4} wrap="nowrap" justify="flex-end">
                            <Button
                              size="compact-xs"
                              variant="light"
                              onClick={() => setForm({ item, area: item.content_area })}
                            >
                              {t('common.edit')}
                            </Button>
                            <ConfirmButton
                              label={t('campaigns.checklist.delete')}
                              message={t('campaigns.checklist.confirmDelete', { code: item.code })}
                              action={() => deleteChecklistItem(campaign.id, item.code)}
                              onDone={() => void queryClient.invalidateQueries({ queryKey: key })}
                            />
                          </Group>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Section>
      ))}
      {editable && (
        <ItemFormModal
          campaign={campaign}
          opened={form !== null}
          onClose={() => setForm(null)}
          item={form?.item ?? null}
          area={form?.area ?? 1}
          onSaved={saved}
        />
      )}
    </Stack>
  );
}
