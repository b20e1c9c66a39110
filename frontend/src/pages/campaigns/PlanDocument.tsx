import type { ReactNode } from 'react';
import { Box, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { enumLabel } from '../registry/labels';
import { dateWords, periodText, vnDate } from './model';
import type { PlanContent } from './planForm';

export interface PlanTaskLine {
  description: string;
  assignee?: string | null;
  due?: string | null;
}

interface Props {
  plan: Partial<PlanContent>;
  documentNumber?: string | null;
  agencyName?: string | null;
  units?: readonly { name: string }[];
  tasks?: readonly PlanTaskLine[];
  /** Full agency names by id (team composition, recipients). */
  agencyNames: Map<number, string>;
  testId?: string;
}

function Heading({ children }: { children: ReactNode }) {
  return (
    <Text fw={700} mt="md" mb={4} tt="uppercase" size="sm">
      {children}
    </Text>
  );
}

function Sub({ children }: { children: ReactNode }) {
  return (
    <Text fw={600} mt={6} mb={2} size="sm">
      {children}
    </Text>
  );
}

function Lines({ items, testId }: { items: readonly string[] | undefined; testId?: string }) {
  const { t } = useTranslation();
  if (!items?.length) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        {t('campaigns.doc.empty')}
      </Text>
    );
  }
  return (
    <Stack gap={2} data-testid={testId}>
      {items.map((line, i) => (
        <Text key={i} size="sm" style={{ textAlign: 'justify', whiteSpace: 'pre-wrap' }}>
          - {line}
        </Text>
      ))}
    </Stack>
  );
}

/** The plan read-only, laid out like the issued document (header, sections I–VI, signer, recipients). */
export function PlanDocument({
  plan,
  documentNumber,
  agencyName,
  units,
  tasks,
  agencyNames,
  testId = 'plan-document',
}: Props) {
  const { t } = useTranslation();
  const names = (ids: readonly number[] | undefined) =>
    (ids ?? []).map((id) => agencyNames.get(id) ?? `#${id}`).join('; ');
  const agency = agencyName ?? (plan.issuing_agency_id != null ? agencyNames.get(plan.issuing_agency_id) : null) ?? '';
  const date = plan.document_date ? dateWords(plan.document_date) : null;

  return (
    <Paper
      withBorder
      radius="md"
      p={{ base: 'md', sm: 'xl' }}
      data-testid={testId}
      style={{ fontFamily: "'Times New Roman', 'Noto Serif', serif" }}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        <Stack gap={2} align="center">
          <Text fw={700} size="sm" ta="center" tt="uppercase" data-testid="doc-agency">
            {agency}
          </Text>
          <Text size="sm" data-testid="doc-number">
            {documentNumber ? t('campaigns.doc.number', { number: documentNumber }) : t('campaigns.doc.numberPending')}
          </Text>
        </Stack>
        <Stack gap={2} align="center">
          <Text fw={700} size="sm" ta="center">
            {t('campaigns.doc.nation')}
          </Text>
          <Text fw={600} size="sm" td="underline">
            {t('campaigns.doc.motto')}
          </Text>
          <Text size="sm" fs="italic" data-testid="doc-place-date">
            {date
              ? t('campaigns.doc.placeDate', { place: plan.place ?? '', ...date })
              : t('campaigns.doc.placeNoDate', { place: plan.place ?? '' })}
          </Text>
        </Stack>
      </SimpleGrid>

      <Title order={3} ta="center" mt="lg">
        {t('campaigns.doc.kind')}
      </Title>
      <Text fw={700} ta="center" size="md" data-testid="doc-title">
        {plan.title}
      </Text>

      {(plan.legal_bases?.length ?? 0) > 0 && (
        <Stack gap={2} mt="md" data-testid="doc-bases">
          {plan.legal_bases!.map((b, i) => (
            <Text key={i} size="sm" fs="italic" style={{ textAlign: 'justify' }}>
              {t('campaigns.doc.basisLine', {
                number: b.number,
                date: b.date ? t('campaigns.doc.basisDate', { date: vnDate(b.date) }) : '',
                issuer: b.issuer ? t('campaigns.doc.basisIssuer', { issuer: b.issuer }) : '',
                subject: b.subject ? ` ${b.subject}` : '',
              })}
            </Text>
          ))}
        </Stack>
      )}
      {plan.introduction && (
        <Text size="sm" mt="sm" style={{ textAlign: 'justify', whiteSpace: 'pre-wrap' }}>
          {plan.introduction}
        </Text>
      )}

      <Heading>{t('campaigns.doc.purposes')}</Heading>
      <Sub>1. {t('campaigns.doc.purpose')}</Sub>
      <Lines items={plan.purposes} />
      <Sub>2. {t('campaigns.doc.requirement')}</Sub>
      <Lines items={plan.requirements} />

      <Heading>{t('campaigns.doc.content')}</Heading>
      {plan.content_areas?.length ? (
        <Stack gap={2} data-testid="doc-areas">
          {plan.content_areas.map((a) => (
            <Text key={a.number} size="sm" style={{ textAlign: 'justify' }}>
              {a.number}. {a.title}
            </Text>
          ))}
        </Stack>
      ) : (
        <Lines items={[]} />
      )}

      <Heading>{t('campaigns.doc.methods')}</Heading>
      <Sub>1. {t('campaigns.doc.method')}</Sub>
      <Lines items={plan.methods} />
      <Sub>2. {t('campaigns.doc.target')}</Sub>
      <Lines items={plan.targets} />

      <Heading>{t('campaigns.doc.composition')}</Heading>
      <Sub>1. {t('campaigns.doc.team')}</Sub>
      {plan.team_composition?.length ? (
        <Stack gap={4} data-testid="doc-composition">
          {plan.team_composition.map((line, i) => (
            <Box key={i}>
              <Text size="sm">
                - {line.description}
                {line.invited_as_needed ? ` ${t('campaigns.doc.invitedAsNeeded')}` : ''}
              </Text>
              {(line.team_role || line.agency_ids?.length) && (
                <Text size="xs" c="dimmed" ml="sm">
                  {[line.team_role && enumLabel(t, 'campaigns.teamRoles', line.team_role), names(line.agency_ids)]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              )}
            </Box>
          ))}
        </Stack>
      ) : (
        <Lines items={[]} />
      )}
      <Sub>2. {t('campaigns.doc.counterparts')}</Sub>
      <Lines items={plan.counterparts?.map((c) => c.description)} />

      <Heading>{t('campaigns.doc.time')}</Heading>
      <Text size="sm" data-testid="doc-period">
        {plan.period ? periodText(t, plan.period) : t('campaigns.doc.empty')}
        {plan.period?.note ? ` (${plan.period.note})` : ''}
      </Text>
      {units && (
        <Text size="sm" data-testid="doc-units">
          {t('campaigns.doc.units')}: {units.length ? units.map((u) => u.name).join('; ') : t('campaigns.doc.empty')}
        </Text>
      )}

      <Heading>{t('campaigns.doc.organisation')}</Heading>
      {tasks?.length ? (
        <Stack gap={4} data-testid="doc-tasks">
          {tasks.map((task, i) => (
            <Box key={i}>
              <Text size="sm" style={{ textAlign: 'justify' }}>
                {i + 1}. {task.description}
              </Text>
              {(task.assignee || task.due) && (
                <Text size="xs" c="dimmed" ml="sm">
                  {[task.assignee, task.due && t('campaigns.tasks.dueOn', { date: vnDate(task.due) })]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              )}
            </Box>
          ))}
        </Stack>
      ) : (
        <Lines items={[]} />
      )}
      {plan.closing && (
        <Text size="sm" mt="sm" style={{ textAlign: 'justify', whiteSpace: 'pre-wrap' }}>
          {plan.closing}
        </Text>
      )}

      <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xl" spacing="lg">
        <Box data-testid="doc-recipients">
          <Text size="sm" fw={700} fs="italic">
            {t('campaigns.doc.recipients')}:
          </Text>
          {(plan.recipients ?? []).map((r, i, all) => (
            <Text key={i} size="xs">
              - {r.name}
              {r.purpose ? ` (${r.purpose})` : ''}
              {i === all.length - 1 ? '.' : ';'}
            </Text>
          ))}
        </Box>
        <Stack gap={2} align="center" data-testid="doc-signer">
          <Text fw={700} size="sm" tt="uppercase" ta="center">
            {[plan.signer_prefix, plan.signer_title].filter(Boolean).join(' ') || t('campaigns.doc.signerPending')}
          </Text>
          <Box h={48} />
          <Text fw={700} size="sm">
            {plan.signer_name ?? ''}
          </Text>
        </Stack>
      </SimpleGrid>
    </Paper>
  );
}
