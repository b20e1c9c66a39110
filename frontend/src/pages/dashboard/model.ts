// Pure logic of the dashboard (unit-tested in model.test.ts): the figures of the stat cards, the
// series and slices the charts draw, their text alternatives, and the filter in the address.
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import type { paths } from '../../api/schema';

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type Dashboard = JsonOf<paths['/api/v1/dashboard']['get']['responses'][200]>;
export type DashboardQuery = NonNullable<paths['/api/v1/dashboard']['get']['parameters']['query']>;
export type CountRow = Dashboard['certificates'][number];
export type UnitCountRow = Dashboard['products_by_unit'][number];
export type MonthCount = Dashboard['expiry_calendar'][number];
export type CampaignProgress = Dashboard['campaigns'][number];

type T = (key: string, options?: Record<string, unknown>) => string;

// ---- the filter, kept in the address (?tu=&den=&don-vi=) ------------------------------------

export interface DashboardFilter {
  from: string;
  to: string;
  unitId: number | null;
}

export const FILTER_PARAMS = { from: 'tu', to: 'den', unit: 'don-vi' } as const;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filter read from the address; malformed values are ignored. */
export function filterFromParams(params: URLSearchParams): DashboardFilter {
  const day = (name: string) => {
    const v = params.get(name) ?? '';
    return ISO_DAY.test(v) && dayjs(v).format('YYYY-MM-DD') === v ? v : '';
  };
  const unit = Number(params.get(FILTER_PARAMS.unit));
  return {
    from: day(FILTER_PARAMS.from),
    to: day(FILTER_PARAMS.to),
    unitId: Number.isInteger(unit) && unit > 0 ? unit : null,
  };
}

/** The address parameters of a filter (empty values left out). */
export function filterToParams(filter: DashboardFilter): Record<string, string> {
  const out: Record<string, string> = {};
  if (filter.from) out[FILTER_PARAMS.from] = filter.from;
  if (filter.to) out[FILTER_PARAMS.to] = filter.to;
  if (filter.unitId != null) out[FILTER_PARAMS.unit] = String(filter.unitId);
  return out;
}

/** A period that ends before it starts: the API would refuse it (422), so it is not asked. */
export const periodReversed = (f: DashboardFilter) => Boolean(f.from && f.to && f.from > f.to);

/** The API query of a filter. */
export function filterToQuery(filter: DashboardFilter): DashboardQuery {
  return {
    from: filter.from || undefined,
    to: filter.to || undefined,
    unit_id: filter.unitId ?? undefined,
  };
}

// ---- stat cards ------------------------------------------------------------------------------

const sum = (rows: readonly { count: number }[]) => rows.reduce((s, r) => s + r.count, 0);
const countOf = (rows: readonly CountRow[], key: string) => rows.find((r) => r.key === key)?.count ?? 0;

export interface Stats {
  products: number;
  valid: number;
  expiring: number;
  expired: number;
  findings: number;
  overdue: number;
}

/** The headline figures (certificates as the server groups them: "valid" does not count those expiring soon). */
export function stats(d: Dashboard): Stats {
  return {
    products: sum(d.products_by_stars),
    valid: countOf(d.certificates, 'valid'),
    expiring: countOf(d.certificates, 'expiring'),
    expired: countOf(d.certificates, 'expired'),
    findings: d.findings_total,
    overdue: d.actions_overdue,
  };
}

// ---- labels ----------------------------------------------------------------------------------

/** Where the app has its own translation of a row's key (used outside Vietnamese: the server's labels are Vietnamese). */
export type LabelGroup = 'stars' | 'certificates' | 'compliance' | 'severity';

const GROUP_KEYS: Record<Exclude<LabelGroup, 'stars'>, string> = {
  certificates: 'registry.certificateStatuses',
  compliance: 'compliance.statuses',
  severity: 'campaigns.severities',
};

/**
 * A row's label: the server's (Vietnamese, in the province's wording) in Vietnamese; in another
 * language the app's translation of the key when it has one, else the server's label.
 */
export function rowLabel(t: T, language: string, group: LabelGroup | undefined, row: CountRow): string {
  if (!group || language.startsWith('vi')) return row.label;
  if (group === 'stars') {
    if (/^\d+$/.test(row.key)) return t('dashboard.starsLabel', { count: Number(row.key) });
    return row.key === 'none' ? t('registry.certificateStatuses.none') : row.label;
  }
  const key = `${GROUP_KEYS[group]}.${row.key}`;
  const label = t(key);
  return label === key ? row.label : label;
}

// ---- colours ---------------------------------------------------------------------------------

export const CERTIFICATE_COLORS: Record<string, string> = {
  valid: 'green.6',
  expiring: 'yellow.6',
  expired: 'orange.7',
  revoked: 'red.7',
  superseded: 'gray.5',
};

export const COMPLIANCE_CHART_COLORS: Record<string, string> = {
  compliant: 'green.6',
  conditional: 'yellow.6',
  non_compliant: 'red.7',
  expired: 'orange.7',
  revoked: 'dark.4',
  not_certified: 'gray.5',
};

export const SEVERITY_CHART_COLORS: Record<string, string> = {
  observation: 'gray.5',
  minor: 'yellow.6',
  major: 'orange.7',
  critical: 'red.7',
};

const STAR_COLORS: Record<string, string> = {
  '5': 'green.9',
  '4': 'green.7',
  '3': 'green.5',
  none: 'gray.5',
};

/** Colours for keys the palettes above do not name, in turn. */
const SPARE_COLORS = ['blue.6', 'teal.6', 'grape.6', 'cyan.6', 'indigo.6', 'lime.7', 'pink.6', 'violet.6'];

// ---- series ----------------------------------------------------------------------------------

/** One bar or slice, with the label the text alternative also reads. */
export interface Slice {
  key: string;
  name: string;
  value: number;
  color: string;
}

/**
 * Donut slices of count rows: empty rows left out (recharts draws nothing for them, and the legend
 * would list them), known keys in their colour, the others in turn from a spare palette.
 */
export function slices(
  rows: readonly CountRow[],
  colors: Record<string, string>,
  label: (row: CountRow) => string = (r) => r.label,
): Slice[] {
  let spare = 0;
  return rows
    .filter((r) => r.count > 0)
    .map((r) => ({
      key: r.key,
      name: label(r),
      value: r.count,
      color: colors[r.key] ?? SPARE_COLORS[spare++ % SPARE_COLORS.length],
    }));
}

/** Bars of count rows, keeping zero rows (a bar chart shows them as nothing, the table as 0). */
export function bars(
  rows: readonly CountRow[],
  colors: Record<string, string> = {},
  label: (row: CountRow) => string = (r) => r.label,
): Slice[] {
  let spare = 0;
  return rows.map((r) => ({
    key: r.key,
    name: label(r),
    value: r.count,
    color: colors[r.key] ?? SPARE_COLORS[spare++ % SPARE_COLORS.length],
  }));
}

/** Products by star rating, most stars first, "no certificate" last. */
export function starBars(rows: readonly CountRow[], label?: (row: CountRow) => string): Slice[] {
  const rank = (key: string) => (/^\d+$/.test(key) ? -Number(key) : 1);
  const sorted = [...rows].sort((a, b) => rank(a.key) - rank(b.key));
  return bars(sorted, STAR_COLORS, label);
}

export interface MonthBar {
  month: string;
  /** Axis label: "01/2027" in Vietnamese, "Jan 2027" in English. */
  short: string;
  /** Full name: "Tháng 1/2027", "January 2027". */
  long: string;
  count: number;
}

const capitalise = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);

/** The expiry calendar's months, named in the interface language (dayjs locales). */
export function monthBars(calendar: readonly MonthCount[], language: string): MonthBar[] {
  const vi = language.startsWith('vi');
  return calendar.map((m) => {
    const d = dayjs(`${m.month}-01`).locale(vi ? 'vi' : 'en');
    if (!d.isValid()) return { month: m.month, short: m.month, long: m.month, count: m.count };
    return {
      month: m.month,
      short: vi ? d.format('MM/YYYY') : d.format('MMM YYYY'),
      long: capitalise(vi ? d.format('MMMM/YYYY') : d.format('MMMM YYYY')),
      count: m.count,
    };
  });
}

export interface YearTrend {
  year: number;
  campaigns: number;
  findings: number;
  actions: number;
  actionsDone: number;
  actionsOverdue: number;
}

/** Findings and corrective actions per plan year, oldest first (several plans of a year are added up). */
export function yearTrend(trend: readonly CampaignProgress[]): YearTrend[] {
  const byYear = new Map<number, YearTrend>();
  for (const c of trend) {
    const y = byYear.get(c.year) ?? {
      year: c.year,
      campaigns: 0,
      findings: 0,
      actions: 0,
      actionsDone: 0,
      actionsOverdue: 0,
    };
    y.campaigns += 1;
    y.findings += c.findings;
    y.actions += c.actions_total;
    y.actionsDone += c.actions_done;
    y.actionsOverdue += c.actions_overdue;
    byYear.set(c.year, y);
  }
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

/** A share in whole per cent (0 when there is nothing to share). */
export function percent(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.min(100, Math.max(0, Math.round((part / whole) * 100)));
}

export interface ProgressView {
  visits: number;
  actions: number;
}

/** How far a plan has got: its visits done and its corrective actions completed, in per cent. */
export function progress(c: CampaignProgress): ProgressView {
  return { visits: percent(c.visits_done, c.visits_total), actions: percent(c.actions_done, c.actions_total) };
}

/** Whether a chart has anything to draw. */
export const hasData = (items: readonly { value?: number; count?: number }[]) =>
  items.some((i) => (i.value ?? i.count ?? 0) > 0);

/** "4 sao: 15; 3 sao: 14" — the short text alternative of a chart (its aria-label). */
export function summary(items: readonly { name: string; value: number }[], numberLocale: string): string {
  return items.map((i) => `${i.name}: ${i.value.toLocaleString(numberLocale)}`).join('; ');
}
