import { Anchor, Badge, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageMessage } from '../../components/Messages';
import { PageLoader } from '../../components/States';
import { ApiError } from '../../api/problem';
import { campaignAccess, type CampaignTab } from './access';
import { useCampaign } from './campaignsApi';
import { ChecklistTab } from './ChecklistTab';
import { DocumentsTab } from './DocumentsTab';
import { periodText } from './model';
import { CampaignStatusBadge } from './parts';
import { PlanTab } from './PlanTab';
import { ReportsTab } from './ReportsTab';
import { ScheduleTab } from './ScheduleTab';
import { TasksTab } from './TasksTab';
import { TeamTab } from './TeamTab';
import { WorkflowButtons } from './Workflow';

/** The tabs' slugs in the address (`?tab=`). */
const SLUGS: Record<CampaignTab, string> = {
  plan: 'ke-hoach',
  team: 'doan',
  schedule: 'lich',
  checklist: 'bang-kiem',
  tasks: 'nhiem-vu',
  reports: 'bao-cao',
  documents: 'van-ban',
};

/** One plan: the document, team, schedule, checklist, tasks, local reports and the documents it produces, each in a tab. */
export default function CampaignPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const campaignId = Number(id);
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const campaign = useCampaign(campaignId);

  if (!Number.isInteger(campaignId) || campaignId <= 0) return <PageMessage title={t('common.notFound')} />;
  if (campaign.isPending) return <PageLoader />;
  if (campaign.isError) {
    if (campaign.error instanceof ApiError && campaign.error.status === 404) {
      return <PageMessage title={t('campaigns.notFound')} />;
    }
    return <ErrorAlert error={campaign.error} onRetry={() => void campaign.refetch()} />;
  }
  const c = campaign.data;
  const access = campaignAccess(me?.roles, c.status);
  const slug = params.get('tab');
  const tab = access.tabs.find((k) => SLUGS[k] === slug) ?? access.tabs[0];

  return (
    <Stack gap="md">
      <div>
        <Anchor component={Link} to="/ke-hoach" size="sm">
          ← {t('campaigns.title')}
        </Anchor>
        <Title order={2} data-testid="campaign-title">
          {c.title}
        </Title>
        <Group gap="xs" mt={4} wrap="wrap">
          <CampaignStatusBadge status={c.status} />
          <Text size="sm" fw={600} data-testid="campaign-number">
            {c.document_number
              ? t('campaigns.doc.number', { number: c.document_number })
              : t('campaigns.list.noNumber')}
          </Text>
          {c.issuing_agency_name && (
            <Text size="sm" c="dimmed">
              · {c.issuing_agency_name}
            </Text>
          )}
          {c.period && (
            <Text size="sm" c="dimmed">
              · {periodText(t, c.period)}
            </Text>
          )}
          {c.revision > 1 && (
            <Badge size="sm" variant="light" color="indigo">
              {t('campaigns.revisions.amended', { revision: c.revision })}
            </Badge>
          )}
        </Group>
      </div>
      <WorkflowButtons campaign={c} />

      <Tabs
        value={tab}
        onChange={(v) =>
          setParams(
            (prev) => {
              const next = new URLSearchParams(prev);
              next.set('tab', SLUGS[(v as CampaignTab) ?? 'plan']);
              return next;
            },
            { replace: true },
          )
        }
        keepMounted={false}
      >
        <Tabs.List mb="md">
          {access.tabs.map((k) => (
            <Tabs.Tab key={k} value={k} data-testid={`tab-${k}`}>
              {t(`campaigns.tabs.${k}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="plan">
          <PlanTab campaign={c} access={access} />
        </Tabs.Panel>
        <Tabs.Panel value="team">
          <TeamTab campaign={c} access={access} />
        </Tabs.Panel>
        <Tabs.Panel value="schedule">
          <ScheduleTab campaign={c} access={access} />
        </Tabs.Panel>
        <Tabs.Panel value="checklist">
          <ChecklistTab campaign={c} />
        </Tabs.Panel>
        <Tabs.Panel value="tasks">
          <TasksTab campaign={c} access={access} />
        </Tabs.Panel>
        <Tabs.Panel value="reports">
          <ReportsTab campaign={c} access={access} />
        </Tabs.Panel>
        <Tabs.Panel value="documents">
          <DocumentsTab campaign={c} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
