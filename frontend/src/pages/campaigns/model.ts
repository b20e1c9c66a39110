// Pure logic of the campaign screens (unit-tested in model.test.ts): status colours, workflow
// buttons, Vietnam-time dates, the schedule calendar, list editing and the local report figures.
import type { CampaignStatus, LocalReport, PlanWarning, ReportFigures, Task, TaskStatus, Visit } from '../../api/types';
import { PRODUCER_KINDS } from '../../api/types';

// ---- statuses -----------------------------------------------------------------------------

export const STATUS_COLORS: Record<CampaignStatus, string> = {
  draft: 'gray',
  submitted: 'yellow',
  issued: 'blue',
  in_progress: 'green',
  reporting: 'teal',
  closed: 'dark',
  cancelled: 'red',
};

/** States in which the team, schedule, units and tasks still change. */
export const ACTIVE_STATUSES: readonly CampaignStatus[] = ['draft', 'submitted', 'issued', 'in_progress', 'reporting'];
/** States of an issued plan that may be amended and accept local reports. */
export const PUBLISHED_OPEN: readonly CampaignStatus[] = ['issued', 'in_progress', 'reporting'];

export const REPORT_COLORS: Record<LocalReport['status'] | 'none', string> = {
  none: 'gray',
  draft: 'gray',
  submitted: 'blue',
  accepted: 'green',
  returned: 'orange',
};

// ---- workflow -----------------------------------------------------------------------------

export type NoteRule = 'none' | 'optional' | 'required';

export interface TransitionAction {
  to: CampaignStatus;
  /** i18n key of the button. */
  labelKey: string;
  color: string;
  variant: 'filled' | 'light' | 'outline';
  note: NoteRule;
  /** Issuing: the dialog also asks for the document number and date. */
  issue: boolean;
}

const FORWARD_ORDER: CampaignStatus[] = [
  'submitted',
  'issued',
  'in_progress',
  'reporting',
  'closed',
  'draft',
  'cancelled',
];

function actionLabel(from: CampaignStatus, to: CampaignStatus): string {
  if (to === 'in_progress' && from === 'reporting') return 'campaigns.actions.resume';
  const keys: Partial<Record<CampaignStatus, string>> = {
    submitted: 'campaigns.actions.submit',
    issued: 'campaigns.actions.issue',
    draft: 'campaigns.actions.return',
    in_progress: 'campaigns.actions.start',
    reporting: 'campaigns.actions.report',
    closed: 'campaigns.actions.close',
    cancelled: 'campaigns.actions.cancel',
  };
  return keys[to] ?? `campaigns.statuses.${to}`;
}

/** The note the API wants: returning a plan, and cancelling it once it has left the draft, need a reason. */
export function noteRule(from: CampaignStatus, to: CampaignStatus): NoteRule {
  if (to === 'draft') return 'required';
  if (to === 'cancelled') return from === 'draft' ? 'optional' : 'required';
  return 'optional';
}

/** The workflow buttons for the transitions the API allows this caller, forward moves first. */
export function transitionActions(from: CampaignStatus, allowed: readonly string[]): TransitionAction[] {
  return FORWARD_ORDER.filter((to) => allowed.includes(to)).map((to) => {
    const backward = to === 'draft' || to === 'cancelled' || (to === 'in_progress' && from === 'reporting');
    return {
      to,
      labelKey: actionLabel(from, to),
      color: to === 'cancelled' ? 'red' : to === 'draft' ? 'orange' : 'green',
      variant: to === 'cancelled' ? 'outline' : backward ? 'light' : 'filled',
      note: noteRule(from, to),
      issue: to === 'issued',
    };
  });
}

/** The i18n key of a readiness problem the API states in English (409 campaign_incomplete), or null. */
export function problemKey(problem: string): string | null {
  const p = problem.toLowerCase();
  if (p.includes('content area')) return 'campaigns.problems.contentAreas';
  if (p.includes('period')) return 'campaigns.problems.period';
  if (p.includes('head')) return 'campaigns.problems.head';
  if (p.includes('checklist')) return 'campaigns.problems.checklist';
  return null;
}

// ---- dates in Vietnam time (UTC+7, whatever the browser's zone) ---------------------------

const VN_OFFSET_MS = 7 * 60 * 60_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` and `HH:mm` of an instant, in Vietnam time. */
export function vnParts(iso: string): { date: string; time: string } {
  const d = new Date(new Date(iso).getTime() + VN_OFFSET_MS);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return { date, time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` };
}

/** The instant for a Vietnam-time date and time, as the API wants it (ISO with the +07:00 offset). */
export function vnIso(date: string, time: string): string {
  return `${date}T${time.length === 5 ? `${time}:00` : time}+07:00`;
}

/** `dd/mm/yyyy` of a `YYYY-MM-DD` date. */
export function vnDate(date: string | null | undefined): string {
  if (!date) return '—';
  const [y, m, d] = date.slice(0, 10).split('-');
  return d && m && y ? `${d}/${m}/${y}` : date;
}

/** "ngày 15 tháng 3 năm 2024" pieces of a `YYYY-MM-DD` date. */
export function dateWords(date: string): { day: number; month: number; year: number } {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  return { day: d, month: m, year: y };
}

/** Today in Vietnam, `YYYY-MM-DD`. */
export function vnToday(now = new Date()): string {
  return vnParts(now.toISOString()).date;
}

const ROMAN = ['', 'I', 'II', 'III', 'IV'];
export const quarterRoman = (q: number | null | undefined): string => (q ? (ROMAN[q] ?? String(q)) : '');

// ---- schedule -----------------------------------------------------------------------------

export interface DayGroup<T> {
  date: string;
  items: T[];
}

/** Visits grouped by their Vietnam-time day, days and visits in time order. */
export function groupByDay<T extends Pick<Visit, 'starts_at'>>(visits: readonly T[]): DayGroup<T>[] {
  const sorted = [...visits].sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
  const groups: DayGroup<T>[] = [];
  for (const v of sorted) {
    const date = vnParts(v.starts_at).date;
    const last = groups[groups.length - 1];
    if (last && last.date === date) last.items.push(v);
    else groups.push({ date, items: [v] });
  }
  return groups;
}

export interface YearMonth {
  year: number;
  /** 1–12 */
  month: number;
}

export interface CalendarDay {
  date: string;
  day: number;
  inMonth: boolean;
}

const isoOf = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** The weeks (Monday first) covering a month, each day with whether it belongs to the month. */
export function monthGrid({ year, month }: YearMonth): CalendarDay[][] {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const offset = (first.getUTCDay() + 6) % 7; // days since Monday
  const start = new Date(Date.UTC(year, month - 1, 1 - offset));
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const weeks = Math.ceil((offset + last) / 7);
  const grid: CalendarDay[][] = [];
  for (let w = 0; w < weeks; w++) {
    const week: CalendarDay[] = [];
    for (let i = 0; i < 7; i++) {
      const d = new Date(start.getTime() + (w * 7 + i) * 86_400_000);
      week.push({ date: isoOf(d), day: d.getUTCDate(), inMonth: d.getUTCMonth() === month - 1 });
    }
    grid.push(week);
  }
  return grid;
}

export function shiftMonth({ year, month }: YearMonth, delta: number): YearMonth {
  const index = year * 12 + (month - 1) + delta;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** The month to show first: the first visit's, else the planned period's start, else today's. */
export function initialMonth(
  visits: readonly Pick<Visit, 'starts_at'>[],
  periodStart: string | null | undefined,
  today: string,
): YearMonth {
  const first = groupByDay(visits)[0]?.date ?? periodStart ?? today;
  const [y, m] = first.split('-').map(Number);
  return { year: y, month: m };
}

/** Warnings about particular visits (clashes, producers visited twice, outside the period), by visit id. */
export function warningsByVisit(warnings: readonly PlanWarning[]): Map<number, PlanWarning[]> {
  const map = new Map<number, PlanWarning[]>();
  for (const w of warnings) {
    for (const id of w.visit_ids ?? []) {
      const list = map.get(id) ?? [];
      if (!list.includes(w)) list.push(w);
      map.set(id, list);
    }
  }
  return map;
}

// ---- list editing -------------------------------------------------------------------------

/** A copy of `list` with the item at `index` moved by `delta` places (kept in bounds). */
export function moveItem<T>(list: readonly T[], index: number, delta: number): T[] {
  const target = index + delta;
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return [...list];
  const copy = [...list];
  const [item] = copy.splice(index, 1);
  copy.splice(target, 0, item);
  return copy;
}

export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

export function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((x, i) => (i === index ? item : x));
}

// ---- tasks --------------------------------------------------------------------------------

/** Tasks by status column, in the API's order (position) within each. */
export function tasksByStatus(tasks: readonly Task[]): Record<TaskStatus, Task[]> {
  const board: Record<TaskStatus, Task[]> = { open: [], in_progress: [], done: [], cancelled: [] };
  for (const task of tasks) board[task.status].push(task);
  return board;
}

/** Who the task is given to, as shown on its card. */
export function assigneeOf(task: Pick<Task, 'assignee_agency_name' | 'assignee_user_name' | 'assignee_label'>): string {
  return [task.assignee_agency_name, task.assignee_user_name, task.assignee_label].filter(Boolean).join(' · ');
}

// ---- local report figures -----------------------------------------------------------------

export const STAR_KEYS = ['3', '4', '5'] as const;
export type StarKey = (typeof STAR_KEYS)[number];
export type ProducerKindKey = (typeof PRODUCER_KINDS)[number];
export const OTHER_FIGURES = ['new_applicants', 'expired_certificates', 'jobs', 'revenue_million_vnd'] as const;
export type OtherFigure = (typeof OTHER_FIGURES)[number];

/** A number input's value: empty until the unit types a figure. */
export type Figure = number | '';

export interface FiguresForm {
  stars: Record<StarKey, Figure>;
  kinds: Record<ProducerKindKey, Figure>;
  other: Record<OtherFigure, Figure>;
}

const num = (v: number | null | undefined): Figure => (typeof v === 'number' && Number.isFinite(v) ? v : '');

export function figuresToForm(f: ReportFigures | null | undefined): FiguresForm {
  const stars = (f?.products_by_stars ?? {}) as Partial<Record<string, number>>;
  const kinds = (f?.producers_by_kind ?? {}) as Partial<Record<string, number>>;
  return {
    stars: Object.fromEntries(STAR_KEYS.map((k) => [k, num(stars[k])])) as FiguresForm['stars'],
    kinds: Object.fromEntries(PRODUCER_KINDS.map((k) => [k, num(kinds[k])])) as FiguresForm['kinds'],
    other: Object.fromEntries(OTHER_FIGURES.map((k) => [k, num(f?.[k])])) as FiguresForm['other'],
  };
}

/** The figures the API stores: blanks left out (not zero), whole numbers except the revenue. */
export function formToFigures(form: FiguresForm): ReportFigures {
  const filled = <K extends string>(rec: Record<K, Figure>) =>
    Object.fromEntries(Object.entries(rec).filter(([, v]) => v !== '' && v != null)) as Record<string, number>;
  const other = filled(form.other);
  return {
    products_by_stars: filled(form.stars),
    producers_by_kind: filled(form.kinds),
    new_applicants: other.new_applicants ?? null,
    expired_certificates: other.expired_certificates ?? null,
    jobs: other.jobs ?? null,
    revenue_million_vnd: other.revenue_million_vnd ?? null,
  };
}

/** Totals shown under the groups: products (all star classes) and producers (all kinds). */
export function figureTotals(form: FiguresForm): { products: number; producers: number } {
  const sum = (rec: Record<string, Figure>) => Object.values(rec).reduce<number>((s, v) => s + (v === '' ? 0 : v), 0);
  return { products: sum(form.stars), producers: sum(form.kinds) };
}

/** Whether the unit's report is late: the API says so for a report; without one, once the due date passed. */
export function reportLate(
  report: Pick<LocalReport, 'late'> | null | undefined,
  due: string | null | undefined,
  today: string,
): boolean {
  if (report) return report.late;
  return Boolean(due && due < today);
}

type T = (key: string, options?: Record<string, unknown>) => string;

/** "Quý II/2024" or "Từ ngày 01/04/2026 đến ngày 30/06/2026" (empty without a period). */
export function periodText(
  t: T,
  period:
    | { kind: string; quarter?: number | null; year?: number | null; start?: string | null; end?: string | null }
    | null
    | undefined,
): string {
  if (!period) return '';
  if (period.kind === 'quarter')
    return t('campaigns.period.quarterText', { q: quarterRoman(period.quarter), year: period.year ?? '' });
  return t('campaigns.period.datesText', { start: vnDate(period.start), end: vnDate(period.end) });
}
