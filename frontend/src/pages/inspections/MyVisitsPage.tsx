// "Việc của tôi": the visits of running plans whose team includes the caller, those being recorded
// first, then the coming ones, each one tap away from its record.
import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { CampaignSummary, Visit } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { isNetworkError } from '../../api/problem';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { isQuotaError } from '../../lib/idb';
import { enumLabel } from '../registry/labels';
import { listCampaigns, listTeam, listVisits } from '../campaigns/campaignsApi';
import { PUBLISHED_OPEN, vnDate, vnParts } from '../campaigns/model';
import { keptBundle, useFieldBundle } from './fieldBundle';
import { VisitStatusBadge } from './parts';

interface MyVisit {
  campaign: Pick<CampaignSummary, 'id' | 'title' | 'document_number'>;
  visit: Visit;
}

/** Being recorded first, then planned, then awaiting approval; by time within each. */
const RANK: Record<string, number> = { in_progress: 0, planned: 1, submitted: 2, approved: 3, locked: 4 };

export function sortMyVisits(list: MyVisit[]): MyVisit[] {
  return [...list].sort(
    (a, b) =>
      (RANK[a.visit.status] ?? 9) - (RANK[b.visit.status] ?? 9) ||
      Date.parse(a.visit.starts_at) - Date.parse(b.visit.starts_at),
  );
}

/** Without a connection: the visits taken into the field. */
async function myVisitsOffline(userId: number, err: unknown): Promise<MyVisit[]> {
  const kept = isNetworkError(err) ? await keptBundle(userId) : null;
  if (!kept) throw err;
  return sortMyVisits(kept.data.visits.map((v) => ({ campaign: v.campaign, visit: v.visit })));
}

async function myVisits(userId: number): Promise<MyVisit[]> {
  const campaigns = (await listCampaigns({}, undefined, 200)).items.filter((c) => PUBLISHED_OPEN.includes(c.status));
  const out: MyVisit[] = [];
  await Promise.all(
    campaigns.map(async (campaign) => {
      const me = (await listTeam(campaign.id)).find((m) => m.user_id === userId);
      if (!me) return;
      for (const visit of await listVisits(campaign.id)) {
        const mine = !visit.team_member_ids?.length || visit.team_member_ids.includes(me.id);
        if (mine && visit.status !== 'locked') out.push({ campaign, visit });
      }
    }),
  );
  return sortMyVisits(out);
}

/** "Mang lịch đi thực địa": the coming visits kept on the device, with the time of the last refresh. */
function FieldBundlePanel({ userId }: { userId: number }) {
  const { t } = useTranslation();
  const { kept, refreshing, error, refresh } = useFieldBundle(userId);
  return (
    <Paper withBorder radius="md" p="md" data-testid="field-bundle">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Stack gap={2} style={{ flex: '1 1 320px' }}>
          <Text fw={600}>{t('field.title')}</Text>
          <Text size="sm" c="dimmed" data-testid="field-bundle-status">
            {kept
              ? t('field.kept', { count: kept.data.visits.length, at: formatDateTime(new Date(kept.savedAt).toISOString()) })
              : t('field.none')}
          </Text>
        </Stack>
        <Group gap="xs">
          <Button component={Link} to="/hang-doi-gui" variant="subtle" data-testid="field-queue-link">
            {t('field.queue.title')}
          </Button>
          <Button onClick={() => void refresh()} loading={refreshing} variant="light" data-testid="field-bundle-refresh">
            {t('field.take')}
          </Button>
        </Group>
      </Group>
      {error != null && (
        <Text size="sm" c="orange" mt={4} data-testid="field-bundle-error">
          {isQuotaError(error) ? t('field.quota') : isNetworkError(error) ? t('field.offline') : t('field.failed')}
        </Text>
      )}
    </Paper>
  );
}

function VisitRow({ item }: { item: MyVisit }) {
  const { t } = useTranslation();
  const { visit, campaign } = item;
  const start = vnParts(visit.starts_at);
  const toRecord = visit.status === 'in_progress' || visit.status === 'planned';
  return (
    <Paper withBorder radius="md" p="md" data-testid="my-visit" data-visit-id={visit.id}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Stack gap={2} style={{ minWidth: 0, flex: '1 1 320px' }}>
          <Group gap="xs">
            <VisitStatusBadge status={visit.status} size="sm" />
            <Badge size="sm" variant="outline" color="gray">
              {enumLabel(t, 'campaigns.visitKinds', visit.kind)}
            </Badge>
          </Group>
          <Text fw={600}>{visit.place}</Text>
          <Text size="sm">
            {t('visit.when', { date: vnDate(start.date), start: start.time, end: vnParts(visit.ends_at).time })}
          </Text>
          {visit.targets.length > 0 && (
            <Text size="sm" c="dimmed">
              {visit.targets.map((tg) => tg.product_name ?? tg.producer_name).join('; ')}
            </Text>
          )}
          <Anchor component={Link} to={`/ke-hoach/${campaign.id}?tab=lich`} size="xs" c="dimmed">
            {campaign.document_number ? `${campaign.document_number} · ` : ''}
            {campaign.title}
          </Anchor>
        </Stack>
        <Button
          component={Link}
          to={`/luot-kiem-tra/${visit.id}`}
          size="lg"
          variant={toRecord ? 'filled' : 'light'}
          data-testid="my-visit-open"
        >
          {toRecord ? t('visit.record.openRecord') : t('visit.view')}
        </Button>
      </Group>
    </Paper>
  );
}

export default function MyVisitsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const visits = useQuery({
    queryKey: ['my-visits', me?.id],
    queryFn: () => myVisits(me!.id).catch((err: unknown) => myVisitsOffline(me!.id, err)),
    enabled: me != null,
    networkMode: 'always',
  });
  return (
    <Stack gap="md" maw={1000}>
      <div>
        <Title order={2}>{t('myVisits.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('myVisits.hint')}
        </Text>
      </div>
      {me && <FieldBundlePanel userId={me.id} />}
      {visits.isPending ? (
        <PageLoader />
      ) : visits.isError ? (
        <ErrorAlert error={visits.error} onRetry={() => void visits.refetch()} />
      ) : visits.data.length === 0 ? (
        <Text c="dimmed" data-testid="my-visits-empty">
          {t('myVisits.empty')}
        </Text>
      ) : (
        <Stack gap="sm">
          {visits.data.map((item) => (
            <VisitRow key={item.visit.id} item={item} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}
