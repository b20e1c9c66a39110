import { useState } from 'react';
import { Accordion, Badge, Button, Group, List, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Campaign, Suggestion } from '../../api/types';
import { CursorListBody } from '../../components/CursorListBody';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { Stars } from '../../components/RegistryBadges';
import { PageLoader } from '../../components/States';
import { useCursorList } from '../../lib/useCursorList';
import { enumLabel } from '../registry/labels';
import { campaignKeys, getNotices, listSuggestions } from './campaignsApi';
import { vnDate, vnParts } from './model';
import { Section } from './parts';
import type { VisitForm } from './visitForm';

const scoreColor = (score: number) => (score >= 50 ? 'red' : score >= 30 ? 'orange' : 'gray');

/** "Gợi ý chọn điểm kiểm tra": producers of a unit, most at risk first, each with why; one click schedules a visit. */
export function SuggestionsPanel({
  campaign,
  onSchedule,
}: {
  campaign: Campaign;
  onSchedule: (preset: Partial<VisitForm>) => void;
}) {
  const { t } = useTranslation();
  const units = campaign.units ?? [];
  const [unitId, setUnitId] = useState<number | null>(units[0]?.id ?? null);
  const list = useCursorList<Suggestion>(campaignKeys.part(campaign.id, 'suggestions', unitId), (cursor) =>
    listSuggestions(campaign.id, unitId != null ? [unitId] : [], cursor, 20),
  );

  return (
    <Section
      title={t('campaigns.suggestions.title')}
      testId="suggestions"
      actions={
        units.length > 0 && (
          <Select
            size="xs"
            aria-label={t('campaigns.suggestions.unit')}
            data={units.map((u) => ({ value: String(u.id), label: u.name }))}
            value={unitId != null ? String(unitId) : null}
            onChange={(v) => v && setUnitId(Number(v))}
            allowDeselect={false}
            w={220}
          />
        )
      }
    >
      <Text size="xs" c="dimmed" mb="xs">
        {t('campaigns.suggestions.hint')}
      </Text>
      {units.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('campaigns.suggestions.noUnits')}
        </Text>
      ) : (
        <CursorListBody
          list={list}
          minWidth={820}
          testId="suggestions-table"
          tableProps={{ verticalSpacing: 6, fz: 'sm', striped: true }}
          columns={[
            t('campaigns.suggestions.producer'),
            t('campaigns.suggestions.product'),
            { label: t('campaigns.suggestions.score'), ta: 'right' },
            t('campaigns.suggestions.reasons'),
            { ariaLabel: t('common.actions') },
          ]}
          renderRow={(s) => (
            <Table.Tr key={`${s.producer_id}-${s.product_id ?? 0}`} data-testid="suggestion-row">
              <Table.Td>
                <Text size="sm" fw={500}>
                  {s.producer_name}
                </Text>
                <Text size="xs" c="dimmed">
                  {s.admin_unit_name}
                </Text>
              </Table.Td>
              <Table.Td>
                {s.product_name ?? t('common.none')} <Stars stars={s.stars} />
                {s.certificate_valid_to && (
                  <Text size="xs" c="dimmed">
                    {t('campaigns.suggestions.validTo', { date: vnDate(s.certificate_valid_to) })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">
                <Badge color={scoreColor(s.score)} variant="filled" data-testid="suggestion-score">
                  {s.score}
                </Badge>
              </Table.Td>
              <Table.Td>
                <List size="xs" spacing={0}>
                  {s.reasons.map((r) => (
                    <List.Item key={r.code}>
                      {r.detail}{' '}
                      <Text span c="dimmed" size="xs">
                        (+{r.weight})
                      </Text>
                    </List.Item>
                  ))}
                </List>
              </Table.Td>
              <Table.Td ta="right">
                {s.already_scheduled ? (
                  <Badge variant="light" color="green">
                    {t('campaigns.suggestions.scheduled')}
                  </Badge>
                ) : (
                  <Button
                    size="compact-xs"
                    variant="light"
                    onClick={() =>
                      onSchedule({
                        kind: 'site_visit',
                        admin_unit_id: unitId,
                        place: s.producer_name,
                        targets: [{ producer_id: s.producer_id, product_id: s.product_id ?? null }],
                      })
                    }
                    data-testid="suggestion-schedule"
                  >
                    {t('campaigns.suggestions.schedule')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          )}
        />
      )}
    </Section>
  );
}

/** The notice to each unit: what the team does there, when and where, produced from the schedule. */
export function NoticesPanel({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation();
  const notices = useQuery({
    queryKey: campaignKeys.part(campaign.id, 'notices'),
    queryFn: () => getNotices(campaign.id),
  });
  return (
    <Section title={t('campaigns.notices.title')} testId="notices">
      {notices.isPending ? (
        <PageLoader />
      ) : notices.isError ? (
        <ErrorAlert error={notices.error} onRetry={() => void notices.refetch()} />
      ) : notices.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('campaigns.notices.empty')}
        </Text>
      ) : (
        <Accordion variant="separated" multiple>
          {notices.data.items.map((n) => (
            <Accordion.Item key={n.admin_unit_id} value={String(n.admin_unit_id)} data-testid="notice">
              <Accordion.Control>
                <Group gap="xs">
                  <Text fw={600} size="sm">
                    {n.admin_unit_name}
                  </Text>
                  <Badge size="sm" variant="light">
                    {t('campaigns.notices.visits', { count: n.items.length })}
                  </Badge>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <Stack gap="sm">
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
                    <Field label={t('campaigns.notices.addressee')}>{n.addressee ?? t('common.none')}</Field>
                    <Field label={t('campaigns.notices.plan')}>{n.plan_number ?? t('campaigns.list.noNumber')}</Field>
                    <Field label={t('campaigns.notices.head')}>{n.team_head ?? t('common.none')}</Field>
                    <Field label={t('campaigns.notices.reportDue')}>{vnDate(n.report_due)}</Field>
                  </SimpleGrid>
                  {n.team.length > 0 && (
                    <Field label={t('campaigns.notices.team')}>
                      <List size="sm">
                        {n.team.map((m) => (
                          <List.Item key={m}>{m}</List.Item>
                        ))}
                      </List>
                    </Field>
                  )}
                  <Table verticalSpacing={4} fz="sm">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('campaigns.notices.when')}</Table.Th>
                        <Table.Th>{t('campaigns.visits.place')}</Table.Th>
                        <Table.Th>{t('campaigns.visits.programme')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {n.items.map((item) => {
                        const start = vnParts(item.starts_at);
                        return (
                          <Table.Tr key={item.visit_id}>
                            <Table.Td style={{ whiteSpace: 'nowrap' }}>
                              {start.time}–{vnParts(item.ends_at).time}
                              <Text size="xs" c="dimmed">
                                {vnDate(start.date)}
                              </Text>
                            </Table.Td>
                            <Table.Td>
                              {item.place}
                              <Text size="xs" c="dimmed">
                                {enumLabel(t, 'campaigns.visitKinds', item.kind)}
                              </Text>
                            </Table.Td>
                            <Table.Td>
                              {item.programme}
                              {item.producers.length > 0 && (
                                <Text size="xs">
                                  <b>{t('campaigns.visits.targets')}:</b> {item.producers.join('; ')}
                                </Text>
                              )}
                              {item.counterparts.length > 0 && (
                                <Text size="xs">
                                  <b>{t('campaigns.visits.counterparts')}:</b>{' '}
                                  {item.counterparts.map((c) => c.description).join('; ')}
                                </Text>
                              )}
                            </Table.Td>
                          </Table.Tr>
                        );
                      })}
                    </Table.Tbody>
                  </Table>
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
    </Section>
  );
}
