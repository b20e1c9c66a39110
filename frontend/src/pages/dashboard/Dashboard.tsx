// The dashboard of the home page: figures over what the caller may see, for a period and a unit.
// Loaded on its own (React.lazy in HomePage); the charts library is a further chunk (./charts), so the stat
// cards, the filter and the plans' progress show without waiting for it.
import { lazy, Suspense, useEffect, useId, useState, type ReactNode } from 'react';
import {
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import { EntitySelect } from '../../components/EntitySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/States';
import { formatDate } from '../../lib/format';
import { canAccess } from '../../nav/menu';
import { enumLabel } from '../registry/labels';
import { useDashboard } from './dashboardApi';
import {
  bars,
  CERTIFICATE_COLORS,
  COMPLIANCE_CHART_COLORS,
  filterFromParams,
  filterToParams,
  filterToQuery,
  hasData,
  monthBars,
  periodReversed,
  progress,
  rowLabel,
  SEVERITY_CHART_COLORS,
  slices,
  starBars,
  stats,
  summary,
  yearTrend,
  type CampaignProgress,
  type CountRow,
  type Dashboard as DashboardData,
  type DashboardFilter,
  type LabelGroup,
  type Slice,
} from './model';

const CHART_HEIGHT = 240;

const BarChart = lazy(() => import('./charts').then((m) => ({ default: m.BarChart })));
const DonutChart = lazy(() => import('./charts').then((m) => ({ default: m.DonutChart })));

function useNumber() {
  const { i18n } = useTranslation();
  const locale = i18n.language.startsWith('vi') ? 'vi-VN' : 'en-GB';
  return { locale, format: (n: number) => n.toLocaleString(locale) };
}

// ---- filter bar ------------------------------------------------------------------------------

function FilterBar({
  filter,
  onChange,
}: {
  filter: DashboardFilter;
  onChange: (change: Partial<DashboardFilter>) => void;
}) {
  const { t } = useTranslation();
  const reversed = periodReversed(filter);
  const filtered = Boolean(filter.from || filter.to || filter.unitId != null);
  return (
    <Paper withBorder p="sm" radius="md" role="search" aria-label={t('dashboard.filters')}>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput
          type="date"
          label={t('dashboard.from')}
          value={filter.from}
          max={filter.to || undefined}
          onChange={(e) => onChange({ from: e.currentTarget.value })}
          w={{ base: '100%', xs: 170 }}
          data-testid="dashboard-from"
        />
        <TextInput
          type="date"
          label={t('dashboard.to')}
          value={filter.to}
          min={filter.from || undefined}
          onChange={(e) => onChange({ to: e.currentTarget.value })}
          error={reversed ? t('dashboard.periodReversed') : undefined}
          w={{ base: '100%', xs: 170 }}
          data-testid="dashboard-to"
        />
        <Box w={{ base: '100%', xs: 300 }}>
          <EntitySelect
            source="admin-units"
            anyTime
            label={t('dashboard.unit')}
            placeholder={t('dashboard.wholeProvince')}
            value={filter.unitId}
            onChange={(unitId) => onChange({ unitId })}
            data-testid="dashboard-unit"
          />
        </Box>
        {filtered && (
          <Button
            variant="subtle"
            mt={{ base: 0, xs: 25 }}
            onClick={() => onChange({ from: '', to: '', unitId: null })}
            data-testid="dashboard-clear"
          >
            {t('common.clearFilters')}
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed" mt={6}>
        {t('dashboard.periodHint')}
      </Text>
    </Paper>
  );
}

// ---- stat cards ------------------------------------------------------------------------------

function StatCard({ label, value, color, testId }: { label: string; value: number; color?: string; testId: string }) {
  const { format } = useNumber();
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Text size="sm" c="dimmed" lh={1.3}>
        {label}
      </Text>
      <Text fz={28} fw={700} c={color} lh={1.2} mt={4} data-testid="stat-value">
        {format(value)}
      </Text>
    </Paper>
  );
}

function StatCards({ data }: { data: DashboardData }) {
  const { t } = useTranslation();
  const s = stats(data);
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm" data-testid="dashboard-stats">
      <StatCard label={t('dashboard.stats.products')} value={s.products} color="green.8" testId="stat-products" />
      <StatCard label={t('dashboard.stats.valid')} value={s.valid} color="green.7" testId="stat-valid" />
      <StatCard label={t('dashboard.stats.expiring')} value={s.expiring} color="yellow.8" testId="stat-expiring" />
      <StatCard label={t('dashboard.stats.expired')} value={s.expired} color="orange.8" testId="stat-expired" />
      <StatCard label={t('dashboard.stats.findings')} value={s.findings} color="blue.8" testId="stat-findings" />
      <StatCard
        label={t('dashboard.stats.overdue')}
        value={s.overdue}
        color={s.overdue > 0 ? 'red.7' : undefined}
        testId="stat-overdue"
      />
    </SimpleGrid>
  );
}

// ---- charts ----------------------------------------------------------------------------------

interface ChartCardProps {
  title: string;
  testId: string;
  /** The chart's figures in words (its text alternative). */
  description: string;
  empty: boolean;
  children: ReactNode;
  /** A data table for screen readers, when the figures have more than one dimension. */
  table?: ReactNode;
}

/**
 * A titled chart. The drawing is one image for assistive technologies, named by its figures in
 * words (`aria-label`); a visually hidden table adds the detail where there is more than one series.
 */
function ChartCard({ title, testId, description, empty, children, table }: ChartCardProps) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id} data-testid={testId}>
      <Title order={3} size="h5" id={id} mb="sm">
        {title}
      </Title>
      {empty ? (
        <Text c="dimmed" size="sm" py="lg" ta="center" data-testid="chart-empty">
          {t('dashboard.noData')}
        </Text>
      ) : (
        <>
          <Box role="img" aria-label={t('dashboard.chartLabel', { title, summary: description })} data-testid="chart">
            <Suspense fallback={<Skeleton h={CHART_HEIGHT} />}>{children}</Suspense>
          </Box>
          {table && <VisuallyHidden>{table}</VisuallyHidden>}
        </>
      )}
    </Paper>
  );
}

function useRowLabel(group?: LabelGroup) {
  const { t, i18n } = useTranslation();
  return (row: CountRow) => rowLabel(t, i18n.language, group, row);
}

function CountBars({
  title,
  testId,
  items,
  color,
  seriesLabel,
  horizontal,
}: {
  title: string;
  testId: string;
  items: Slice[];
  color: string;
  seriesLabel: string;
  horizontal?: boolean;
}) {
  const { locale, format } = useNumber();
  const longest = Math.max(0, ...items.map((i) => i.name.length));
  return (
    <ChartCard title={title} testId={testId} description={summary(items, locale)} empty={!hasData(items)}>
      <BarChart
        h={horizontal ? Math.max(CHART_HEIGHT / 2, items.length * 44 + 40) : CHART_HEIGHT}
        data={items.map((i) => ({ name: i.name, value: i.value }))}
        dataKey="name"
        series={[{ name: 'value', label: seriesLabel, color }]}
        orientation={horizontal ? 'vertical' : 'horizontal'}
        yAxisProps={horizontal ? { width: Math.min(220, Math.max(90, longest * 6.5)) } : { allowDecimals: false }}
        xAxisProps={horizontal ? { allowDecimals: false } : undefined}
        valueFormatter={format}
        withBarValueLabel
        maxBarWidth={48}
        tickLine="none"
        gridAxis={horizontal ? 'x' : 'y'}
      />
    </ChartCard>
  );
}

function Donut({ title, testId, items }: { title: string; testId: string; items: Slice[] }) {
  const { locale, format } = useNumber();
  const total = items.reduce((s, i) => s + i.value, 0);
  return (
    <ChartCard title={title} testId={testId} description={summary(items, locale)} empty={!hasData(items)}>
      <Group gap="lg" wrap="wrap" align="center" justify="center">
        <DonutChart
          data={items.map((i) => ({ name: i.name, value: i.value, color: i.color }))}
          size={170}
          thickness={26}
          chartLabel={format(total)}
          valueFormatter={format}
          tooltipDataSource="segment"
          paddingAngle={1}
        />
        <Stack gap={6} miw={160}>
          {items.map((i) => (
            <Group key={i.key} gap={8} wrap="nowrap">
              <Box w={12} h={12} style={{ borderRadius: 3, flex: 'none' }} bg={i.color} />
              <Text size="sm" style={{ flex: 1 }}>
                {i.name}
              </Text>
              <Text size="sm" fw={600}>
                {format(i.value)}
              </Text>
            </Group>
          ))}
        </Stack>
      </Group>
    </ChartCard>
  );
}

function ExpiryCalendar({ data }: { data: DashboardData }) {
  const { t, i18n } = useTranslation();
  const { locale, format } = useNumber();
  const months = monthBars(data.expiry_calendar, i18n.language);
  return (
    <ChartCard
      title={t('dashboard.charts.expiry')}
      testId="chart-expiry"
      description={summary(
        months.filter((m) => m.count > 0).map((m) => ({ name: m.long, value: m.count })),
        locale,
      )}
      empty={!hasData(months)}
    >
      <BarChart
        h={CHART_HEIGHT}
        data={months.map((m) => ({ month: m.short, count: m.count }))}
        dataKey="month"
        series={[{ name: 'count', label: t('dashboard.series.certificates'), color: 'orange.6' }]}
        yAxisProps={{ allowDecimals: false }}
        valueFormatter={format}
        maxBarWidth={36}
        tickLine="none"
        gridAxis="y"
      />
    </ChartCard>
  );
}

function Trend({ data }: { data: DashboardData }) {
  const { t } = useTranslation();
  const { format } = useNumber();
  const years = yearTrend(data.trend);
  const series = [
    { name: 'findings', label: t('dashboard.series.findings'), color: 'blue.6' },
    { name: 'actions', label: t('dashboard.series.actions'), color: 'grape.5' },
    { name: 'actionsDone', label: t('dashboard.series.actionsDone'), color: 'green.6' },
    { name: 'actionsOverdue', label: t('dashboard.series.actionsOverdue'), color: 'red.6' },
  ];
  const description = years
    .map((y) =>
      t('dashboard.trendYear', {
        year: y.year,
        findings: format(y.findings),
        actions: format(y.actions),
        done: format(y.actionsDone),
        overdue: format(y.actionsOverdue),
      }),
    )
    .join('; ');
  return (
    <ChartCard
      title={t('dashboard.charts.trend')}
      testId="chart-trend"
      description={description}
      empty={years.length === 0}
      table={
        <table>
          <caption>{t('dashboard.charts.trend')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.year')}</th>
              {series.map((s) => (
                <th key={s.name} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {years.map((y) => (
              <tr key={y.year}>
                <th scope="row">{y.year}</th>
                <td>{y.findings}</td>
                <td>{y.actions}</td>
                <td>{y.actionsDone}</td>
                <td>{y.actionsOverdue}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <BarChart
        h={CHART_HEIGHT}
        data={years.map((y) => ({ ...y, year: String(y.year) }))}
        dataKey="year"
        series={series}
        yAxisProps={{ allowDecimals: false }}
        valueFormatter={format}
        withLegend
        legendProps={{ verticalAlign: 'bottom' }}
        maxBarWidth={32}
        tickLine="none"
        gridAxis="y"
      />
    </ChartCard>
  );
}

// ---- campaign progress -----------------------------------------------------------------------

function CampaignRow({ c, linked }: { c: CampaignProgress; linked: boolean }) {
  const { t } = useTranslation();
  const { format } = useNumber();
  const p = progress(c);
  return (
    <Stack gap={6} data-testid="campaign-progress" py="xs">
      <Group justify="space-between" gap="xs" wrap="wrap" align="flex-start">
        {linked ? (
          <Anchor component={Link} to={`/ke-hoach/${c.campaign_id}`} fw={600} size="sm" style={{ flex: 1, minWidth: 0 }}>
            {c.title}
          </Anchor>
        ) : (
          <Text fw={600} size="sm" style={{ flex: 1, minWidth: 0 }}>
            {c.title}
          </Text>
        )}
        <Group gap={6} wrap="nowrap">
          <Badge variant="light" color="gray">
            {c.year}
          </Badge>
          <Badge variant="light">{enumLabel(t, 'campaigns.statuses', c.status)}</Badge>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing={6}>
        <div>
          <Text size="xs" c="dimmed" id={`visits-${c.campaign_id}`}>
            {t('dashboard.visitsProgress', { done: format(c.visits_done), total: format(c.visits_total) })}
          </Text>
          {/* the name goes on the section: it, not the root, carries role="progressbar" */}
          <Progress.Root size="lg" data-testid="visits-progress">
            <Progress.Section value={p.visits} color="green" aria-labelledby={`visits-${c.campaign_id}`} />
          </Progress.Root>
        </div>
        <div>
          <Text size="xs" c="dimmed" id={`actions-${c.campaign_id}`}>
            {t('dashboard.actionsProgress', { done: format(c.actions_done), total: format(c.actions_total) })}
          </Text>
          <Progress.Root size="lg">
            <Progress.Section value={p.actions} color="blue" aria-labelledby={`actions-${c.campaign_id}`} />
          </Progress.Root>
        </div>
      </SimpleGrid>
      <Group gap="xs">
        <Text size="xs">{t('dashboard.findingsCount', { count: format(c.findings) })}</Text>
        {c.actions_overdue > 0 && (
          <Badge color="red" variant="light" size="sm">
            {t('dashboard.overdueCount', { count: format(c.actions_overdue) })}
          </Badge>
        )}
      </Group>
    </Stack>
  );
}

function Campaigns({ data }: { data: DashboardData }) {
  const { t } = useTranslation();
  const id = useId();
  const { me } = useAuth();
  // the plans' pages are not open to every role (producers): no link where it would only say "no permission"
  const linked = canAccess(me?.roles, 'campaigns');
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id} data-testid="dashboard-campaigns">
      <Title order={3} size="h5" id={id} mb="xs">
        {t('dashboard.charts.campaigns')}
      </Title>
      {data.campaigns.length === 0 ? (
        <Text c="dimmed" size="sm" py="md" ta="center">
          {t('dashboard.noCampaigns')}
        </Text>
      ) : (
        <Stack gap={0} style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
          {data.campaigns.map((c) => (
            <Box key={c.campaign_id} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
              <CampaignRow c={c} linked={linked} />
            </Box>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function UnitTable({ title, rows, testId }: { title: string; rows: DashboardData['findings_by_unit']; testId: string }) {
  const { t } = useTranslation();
  const { format } = useNumber();
  const id = useId();
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id} data-testid={testId}>
      <Title order={3} size="h5" id={id} mb="xs">
        {title}
      </Title>
      {rows.length === 0 ? (
        <Text c="dimmed" size="sm" py="md" ta="center">
          {t('dashboard.noData')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={240} mah={260}>
          <Table verticalSpacing={4} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('dashboard.unit')}</Table.Th>
                <Table.Th ta="right">{t('dashboard.count')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.admin_unit_id ?? r.name}>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td ta="right">{format(r.count)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

// ---- the whole dashboard ---------------------------------------------------------------------

function Figures({ data }: { data: DashboardData }) {
  const { t } = useTranslation();
  const stars = useRowLabel('stars');
  const certificates = useRowLabel('certificates');
  const severity = useRowLabel('severity');
  const compliance = useRowLabel('compliance');
  return (
    <Stack gap="md">
      <StatCards data={data} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <CountBars
          title={t('dashboard.charts.stars')}
          testId="chart-stars"
          items={starBars(data.products_by_stars, stars)}
          color="green.6"
          seriesLabel={t('dashboard.series.products')}
          horizontal
        />
        <Donut
          title={t('dashboard.charts.certificates')}
          testId="chart-certificates"
          items={slices(data.certificates, CERTIFICATE_COLORS, certificates)}
        />
        <ExpiryCalendar data={data} />
        <Donut
          title={t('dashboard.charts.compliance')}
          testId="chart-compliance"
          items={slices(data.compliance, COMPLIANCE_CHART_COLORS, compliance)}
        />
        <CountBars
          title={t('dashboard.charts.categories')}
          testId="chart-categories"
          items={bars(data.findings_by_category)}
          color="blue.6"
          seriesLabel={t('dashboard.series.findings')}
          horizontal
        />
        <CountBars
          title={t('dashboard.charts.severity')}
          testId="chart-severity"
          items={bars(data.findings_by_severity, SEVERITY_CHART_COLORS, severity)}
          color="orange.6"
          seriesLabel={t('dashboard.series.findings')}
        />
      </SimpleGrid>
      <Campaigns data={data} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Trend data={data} />
        <UnitTable title={t('dashboard.charts.findingsByUnit')} rows={data.findings_by_unit} testId="findings-by-unit" />
      </SimpleGrid>
    </Stack>
  );
}

export default function Dashboard() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  // the filter lives here (changes apply at once, one after the other) and is mirrored in the address
  const [filter, setFilter] = useState<DashboardFilter>(() => filterFromParams(params));
  const reversed = periodReversed(filter);
  const dashboard = useDashboard(filterToQuery(filter), !reversed);

  const search = new URLSearchParams(filterToParams(filter)).toString();
  useEffect(() => {
    if (search !== params.toString()) setParams(search, { replace: true });
  }, [search, params, setParams]);

  const change = (part: Partial<DashboardFilter>) => setFilter((prev) => ({ ...prev, ...part }));

  return (
    <Stack gap="md" data-testid="dashboard">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
        <Title order={2} size="h3">
          {t('dashboard.title')}
        </Title>
        {dashboard.data && (
          <Text size="sm" c="dimmed" data-testid="dashboard-as-of">
            {t('dashboard.asOf', { date: formatDate(dashboard.data.as_of) })}
          </Text>
        )}
      </Group>
      <FilterBar filter={filter} onChange={change} />
      {reversed ? null : dashboard.isPending ? (
        <PageLoader />
      ) : dashboard.isError ? (
        <ErrorAlert error={dashboard.error} onRetry={() => void dashboard.refetch()} />
      ) : (
        <Box style={{ opacity: dashboard.isPlaceholderData ? 0.6 : 1, transition: 'opacity 150ms' }}>
          <Figures data={dashboard.data} />
        </Box>
      )}
    </Stack>
  );
}
