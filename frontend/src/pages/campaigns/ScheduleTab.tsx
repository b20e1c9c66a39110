import { useMemo, useState, type ReactNode } from 'react';
import {
  ActionIcon,
  Alert,
  Badge,
  Box,
  Button,
  Group,
  List,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import type { Campaign, PlanWarning, TeamMember, Visit } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/States';
import { enumLabel } from '../registry/labels';
import { canOpenVisits } from '../inspections/access';
import { VisitStatusBadge } from '../inspections/parts';
import type { CampaignAccess } from './access';
import { deleteVisit, useRefreshCampaign, useTeam, useVisits, useWarnings } from './campaignsApi';
import {
  groupByDay,
  initialMonth,
  monthGrid,
  shiftMonth,
  vnParts,
  vnToday,
  warningsByVisit,
  type YearMonth,
} from './model';
import { ConfirmButton, Section, WarningsAlert } from './parts';
import { NoticesPanel, SuggestionsPanel } from './SchedulePanels';
import { VisitFormModal } from './VisitFormModal';
import type { VisitForm } from './visitForm';

const KIND_COLORS: Record<string, string> = { working_session: 'indigo', site_visit: 'teal' };

const timeRange = (v: Visit) => `${vnParts(v.starts_at).time}–${vnParts(v.ends_at).time}`;

function VisitCard({
  visit,
  team,
  warnings,
  editable,
  open,
  onEdit,
  onDeleted,
}: {
  visit: Visit;
  team: readonly TeamMember[];
  warnings: readonly PlanWarning[];
  editable: boolean;
  /** The caller opens the visit's record: `record` (a team member, the visit to be recorded) or `view`. */
  open: 'record' | 'view' | null;
  onEdit: () => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation();
  const names = new Map(team.map((m) => [m.id, m.full_name]));
  const members = visit.team_member_ids?.length
    ? visit.team_member_ids.map((id) => names.get(id) ?? `#${id}`).join(', ')
    : t('campaigns.visits.wholeTeam');
  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      data-testid="visit-card"
      data-visit-id={visit.id}
      bg={warnings.length ? 'yellow.0' : undefined}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={700} size="sm">
              {timeRange(visit)}
            </Text>
            <Badge size="sm" variant="light" color={KIND_COLORS[visit.kind]}>
              {enumLabel(t, 'campaigns.visitKinds', visit.kind)}
            </Badge>
            {visit.status !== 'planned' && <VisitStatusBadge status={visit.status} size="sm" />}
            {visit.admin_unit_name && (
              <Text size="sm" c="dimmed">
                {visit.admin_unit_name}
              </Text>
            )}
          </Group>
          <Text size="sm" fw={500} data-testid="visit-card-place">
            {visit.place}
          </Text>
          {visit.programme && (
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
              {visit.programme}
            </Text>
          )}
          {visit.targets.length > 0 && (
            <Text size="xs">
              <b>{t('campaigns.visits.targets')}:</b>{' '}
              {visit.targets
                .map((tg) => (tg.product_name ? `${tg.producer_name} — ${tg.product_name}` : tg.producer_name))
                .join('; ')}
            </Text>
          )}
          {visit.counterparts.length > 0 && (
            <Text size="xs">
              <b>{t('campaigns.visits.counterparts')}:</b> {visit.counterparts.map((c) => c.description).join('; ')}
            </Text>
          )}
          {team.length > 0 && (
            <Text size="xs">
              <b>{t('campaigns.visits.members')}:</b> {members}
            </Text>
          )}
        </Stack>
        {(editable || open) && (
          <Group gap={4} wrap="nowrap">
            {open && (
              <Button
                component={Link}
                to={`/luot-kiem-tra/${visit.id}`}
                size="xs"
                variant={open === 'record' ? 'filled' : 'light'}
                data-testid="visit-open"
              >
                {open === 'record' ? t('visit.record.openRecord') : t('visit.view')}
              </Button>
            )}
            {editable && (
              <>
                <Button size="compact-xs" variant="light" onClick={onEdit} data-testid="visit-edit">
                  {t('common.edit')}
                </Button>
                <ConfirmButton
                  label={t('campaigns.visits.delete')}
                  message={t('campaigns.visits.confirmDelete', { place: visit.place })}
                  action={() => deleteVisit(visit.id)}
                  onDone={onDeleted}
                />
              </>
            )}
          </Group>
        )}
      </Group>
      {warnings.length > 0 && (
        <Alert color="yellow" variant="light" p="xs" mt="xs" data-testid="visit-warnings">
          <List size="xs" spacing={2}>
            {warnings.map((w, i) => (
              <List.Item key={i}>{w.message}</List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Paper>
  );
}

function DayList({ visits, render }: { visits: readonly Visit[]; render: (v: Visit) => ReactNode }) {
  const { t } = useTranslation();
  const days = groupByDay(visits);
  if (days.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="schedule-empty">
        {t('campaigns.visits.empty')}
      </Text>
    );
  }
  return (
    <Stack gap="md" data-testid="schedule-list">
      {days.map((day) => (
        <Box key={day.date} data-testid="schedule-day" data-date={day.date}>
          <Title order={4} size="h5" mb={6} tt="capitalize">
            {dayjs(day.date).format('dddd, DD/MM/YYYY')}
          </Title>
          <Stack gap="xs">{day.items.map(render)}</Stack>
        </Box>
      ))}
    </Stack>
  );
}

/** A month grid (Monday first) with each day's visits; arrows move between months. */
function MonthView({
  visits,
  start,
  onOpen,
}: {
  visits: readonly Visit[];
  start: YearMonth;
  onOpen?: (v: Visit) => void;
}) {
  const { t } = useTranslation();
  const [month, setMonth] = useState<YearMonth>(start);
  const byDay = useMemo(() => new Map(groupByDay(visits).map((d) => [d.date, d.items])), [visits]);
  const today = vnToday();
  const weekdays = t('campaigns.calendar.weekdays').split(',');
  return (
    <Stack gap="xs" data-testid="schedule-calendar">
      <Group justify="space-between">
        <ActionIcon
          variant="default"
          onClick={() => setMonth((m) => shiftMonth(m, -1))}
          aria-label={t('campaigns.calendar.previous')}
        >
          ‹
        </ActionIcon>
        <Text fw={600} data-testid="calendar-month">
          {t('campaigns.calendar.month', { month: month.month, year: month.year })}
        </Text>
        <ActionIcon
          variant="default"
          onClick={() => setMonth((m) => shiftMonth(m, 1))}
          aria-label={t('campaigns.calendar.next')}
        >
          ›
        </ActionIcon>
      </Group>
      <SimpleGrid cols={7} spacing={4} verticalSpacing={4}>
        {weekdays.map((d) => (
          <Text key={d} size="xs" fw={600} ta="center" c="dimmed">
            {d}
          </Text>
        ))}
        {monthGrid(month)
          .flat()
          .map((day) => {
            const items = byDay.get(day.date) ?? [];
            return (
              <Paper
                key={day.date}
                withBorder
                p={4}
                mih={84}
                radius="xs"
                bg={!day.inMonth ? 'gray.1' : day.date === today ? 'green.0' : undefined}
                data-testid="calendar-day"
                data-date={day.date}
              >
                <Text size="xs" c={day.inMonth ? undefined : 'dimmed'} fw={day.date === today ? 700 : undefined}>
                  {day.day}
                </Text>
                <Stack gap={2}>
                  {items.map((v) => (
                    <Tooltip key={v.id} label={`${timeRange(v)} · ${v.place}`} multiline w={260} withArrow>
                      <Badge
                        size="xs"
                        radius="xs"
                        fullWidth
                        variant="light"
                        color={KIND_COLORS[v.kind]}
                        style={{ cursor: onOpen ? 'pointer' : undefined, justifyContent: 'flex-start' }}
                        onClick={onOpen ? () => onOpen(v) : undefined}
                        data-testid="calendar-visit"
                      >
                        {vnParts(v.starts_at).time} {v.place}
                      </Badge>
                    </Tooltip>
                  ))}
                </Stack>
              </Paper>
            );
          })}
      </SimpleGrid>
    </Stack>
  );
}

interface FormState {
  visit: Visit | null;
  preset?: Partial<VisitForm>;
}

/** "Lịch kiểm tra": the schedule by day or as a month, the visit form, suggestions and the notices. */
export function ScheduleTab({ campaign, access }: { campaign: Campaign; access: CampaignAccess }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const refresh = useRefreshCampaign(campaign.id);
  const visits = useVisits(campaign.id);
  const team = useTeam(campaign.id, access.tabs.includes('team'));
  const warnings = useWarnings(campaign.id, access.warnings);
  const [view, setView] = useState<'list' | 'month'>('list');
  const [form, setForm] = useState<FormState | null>(null);
  const editable = access.editParts;

  const byVisit = useMemo(() => warningsByVisit(warnings.data?.items ?? []), [warnings.data]);
  const scheduleWarnings = (warnings.data?.items ?? []).filter((w) => w.visit_ids?.length);
  const members = team.data ?? [];
  const onTeam = members.some((m) => m.user_id === me?.id);
  const openAs = (v: Visit): 'record' | 'view' | null => {
    if (!canOpenVisits(me?.roles)) return null;
    return onTeam && (v.status === 'planned' || v.status === 'in_progress') ? 'record' : 'view';
  };

  return (
    <Stack gap="md">
      <WarningsAlert
        warnings={scheduleWarnings}
        title={t('campaigns.visits.warningsTitle', { count: scheduleWarnings.length })}
      />
      <Section
        title={t('campaigns.visits.title')}
        testId="schedule"
        actions={
          <>
            <SegmentedControl
              size="xs"
              value={view}
              onChange={(v) => setView(v as typeof view)}
              data={[
                { value: 'list', label: t('campaigns.visits.byDay') },
                { value: 'month', label: t('campaigns.visits.byMonth') },
              ]}
              data-testid="schedule-view"
            />
            {editable && (
              <Button size="xs" onClick={() => setForm({ visit: null })} data-testid="visit-add">
                {t('campaigns.visits.add')}
              </Button>
            )}
          </>
        }
      >
        {visits.isPending ? (
          <PageLoader />
        ) : visits.isError ? (
          <ErrorAlert error={visits.error} onRetry={() => void visits.refetch()} />
        ) : view === 'list' ? (
          <DayList
            visits={visits.data}
            render={(v) => (
              <VisitCard
                key={v.id}
                visit={v}
                team={members}
                warnings={byVisit.get(v.id) ?? []}
                editable={editable && v.status === 'planned'}
                open={openAs(v)}
                onEdit={() => setForm({ visit: v })}
                onDeleted={() => {
                  refresh();
                  notifications.show({ color: 'green', message: t('campaigns.visits.deleted') });
                }}
              />
            )}
          />
        ) : (
          <MonthView
            visits={visits.data}
            start={initialMonth(visits.data, campaign.period_start, vnToday())}
            onOpen={editable ? (v) => setForm({ visit: v }) : undefined}
          />
        )}
      </Section>

      {access.suggestions && (
        <SuggestionsPanel campaign={campaign} onSchedule={(preset) => setForm({ visit: null, preset })} />
      )}
      <NoticesPanel campaign={campaign} />

      {editable && (
        <VisitFormModal
          campaign={campaign}
          team={members}
          opened={form !== null}
          onClose={() => setForm(null)}
          visit={form?.visit ?? null}
          preset={form?.preset}
        />
      )}
    </Stack>
  );
}
