// The plan editor's form model: every section of the document as editable values, to and from the
// API's shape. Pure functions, unit-tested in planForm.test.ts.
import type { Campaign, CampaignCreate, CounterpartRole, SignerPrefix, TeamRole } from '../../api/types';

/** The plan sections as the API reads them (a campaign, or an earlier revision's content). */
export type PlanContent = Pick<
  Campaign,
  | 'title'
  | 'year'
  | 'issuing_agency_id'
  | 'place'
  | 'document_date'
  | 'introduction'
  | 'legal_bases'
  | 'purposes'
  | 'requirements'
  | 'content_areas'
  | 'methods'
  | 'targets'
  | 'team_composition'
  | 'counterparts'
  | 'period'
  | 'closing'
  | 'signer_prefix'
  | 'signer_title'
  | 'signer_name'
  | 'recipients'
>;

/** Every plan section, as sent when drafting (and accepted by PATCH and amendments). */
export type PlanPayload = Required<Omit<CampaignCreate, 'tasks' | 'unit_ids' | 'checklist_template_id'>>;

export interface LegalBasisForm {
  number: string;
  date: string;
  issuer: string;
  subject: string;
}
export interface ContentAreaForm {
  number: number | '';
  title: string;
}
export interface CompositionForm {
  description: string;
  agency_ids: number[];
  team_role: TeamRole | null;
  invited_as_needed: boolean;
}
export interface CounterpartForm {
  role: CounterpartRole;
  description: string;
  agency_id: number | null;
}
export interface PeriodForm {
  kind: 'none' | 'quarter' | 'dates';
  quarter: number | null;
  year: number | '';
  start: string;
  end: string;
  note: string;
}
export interface RecipientForm {
  name: string;
  purpose: string;
  agency_ids: number[];
}

export interface PlanForm {
  title: string;
  year: number | '';
  issuing_agency_id: number | null;
  place: string;
  document_date: string;
  introduction: string;
  legal_bases: LegalBasisForm[];
  purposes: string[];
  requirements: string[];
  content_areas: ContentAreaForm[];
  methods: string[];
  targets: string[];
  team_composition: CompositionForm[];
  counterparts: CounterpartForm[];
  period: PeriodForm;
  closing: string;
  signer_prefix: SignerPrefix | null;
  signer_title: string;
  signer_name: string;
  recipients: RecipientForm[];
}

export type PlanField = keyof PlanForm;

/** Plan fields whose server messages go next to the field (nested lines' messages stay general). */
export const PLAN_SERVER_FIELDS = [
  'year',
  'issuing_agency_id',
  'place',
  'period',
  'signer_title',
  'signer_name',
] as const;

export const EMPTY_LEGAL_BASIS: LegalBasisForm = { number: '', date: '', issuer: '', subject: '' };
export const EMPTY_COMPOSITION: CompositionForm = {
  description: '',
  agency_ids: [],
  team_role: null,
  invited_as_needed: false,
};
export const EMPTY_COUNTERPART: CounterpartForm = { role: 'local_leaders', description: '', agency_id: null };
export const EMPTY_RECIPIENT: RecipientForm = { name: '', purpose: '', agency_ids: [] };

export function emptyPlan(year: number): PlanForm {
  return {
    title: '',
    year,
    issuing_agency_id: null,
    place: '',
    document_date: '',
    introduction: '',
    legal_bases: [],
    purposes: [],
    requirements: [],
    content_areas: [],
    methods: [],
    targets: [],
    team_composition: [],
    counterparts: [],
    period: { kind: 'none', quarter: null, year, start: '', end: '', note: '' },
    closing: '',
    signer_prefix: null,
    signer_title: '',
    signer_name: '',
    recipients: [],
  };
}

const text = (v: string | null | undefined) => v ?? '';
const list = <T>(v: readonly T[] | null | undefined): T[] => [...(v ?? [])];

/** The form for an existing plan (a campaign or a revision's content; missing sections are empty). */
export function planFromContent(c: Partial<PlanContent>): PlanForm {
  const year = c.year ?? new Date().getFullYear();
  const p = c.period ?? null;
  return {
    title: text(c.title),
    year,
    issuing_agency_id: c.issuing_agency_id ?? null,
    place: text(c.place),
    document_date: text(c.document_date),
    introduction: text(c.introduction),
    legal_bases: list(c.legal_bases).map((b) => ({
      number: b.number,
      date: text(b.date),
      issuer: text(b.issuer),
      subject: text(b.subject),
    })),
    purposes: list(c.purposes),
    requirements: list(c.requirements),
    content_areas: list(c.content_areas).map((a) => ({ number: a.number, title: a.title })),
    methods: list(c.methods),
    targets: list(c.targets),
    team_composition: list(c.team_composition).map((l) => ({
      description: l.description,
      agency_ids: list(l.agency_ids),
      team_role: l.team_role ?? null,
      invited_as_needed: Boolean(l.invited_as_needed),
    })),
    counterparts: list(c.counterparts).map((cp) => ({
      role: cp.role,
      description: cp.description,
      agency_id: cp.agency_id ?? null,
    })),
    period: p
      ? {
          kind: p.kind,
          quarter: p.quarter ?? null,
          year: p.year ?? year,
          start: text(p.start),
          end: text(p.end),
          note: text(p.note),
        }
      : { kind: 'none', quarter: null, year, start: '', end: '', note: '' },
    closing: text(c.closing),
    signer_prefix: (c.signer_prefix as SignerPrefix | null | undefined) ?? null,
    signer_title: text(c.signer_title),
    signer_name: text(c.signer_name),
    recipients: list(c.recipients).map((r) => ({
      name: r.name,
      purpose: text(r.purpose),
      agency_ids: list(r.agency_ids),
    })),
  };
}

const blank = (v: string): string | null => (v.trim() ? v.trim() : null);
const lines = (v: readonly string[]) => v.map((s) => s.trim()).filter(Boolean);

/** The next free content area number (areas group the checklist items: numbers are kept, not recounted). */
export function nextAreaNumber(areas: readonly ContentAreaForm[]): number {
  return areas.reduce((max, a) => Math.max(max, typeof a.number === 'number' ? a.number : 0), 0) + 1;
}

/** Every plan section in the API's shape; blank lines and empty rows are left out. Call after `validatePlan`. */
export function planToPayload(f: PlanForm): PlanPayload {
  const p = f.period;
  return {
    title: f.title.trim(),
    year: Number(f.year),
    issuing_agency_id: f.issuing_agency_id ?? 0,
    place: f.place.trim(),
    document_date: f.document_date || null,
    introduction: blank(f.introduction),
    legal_bases: f.legal_bases
      .filter((b) => b.number.trim())
      .map((b) => ({
        number: b.number.trim(),
        date: b.date || null,
        issuer: blank(b.issuer),
        subject: blank(b.subject),
      })),
    purposes: lines(f.purposes),
    requirements: lines(f.requirements),
    content_areas: f.content_areas
      .filter((a) => a.title.trim())
      .map((a) => ({ number: Number(a.number), title: a.title.trim() })),
    methods: lines(f.methods),
    targets: lines(f.targets),
    team_composition: f.team_composition
      .filter((l) => l.description.trim())
      .map((l) => ({
        description: l.description.trim(),
        agency_ids: l.agency_ids,
        team_role: l.team_role,
        invited_as_needed: l.invited_as_needed,
      })),
    counterparts: f.counterparts
      .filter((c) => c.description.trim())
      .map((c) => ({ role: c.role, description: c.description.trim(), agency_id: c.agency_id })),
    period:
      p.kind === 'none'
        ? null
        : p.kind === 'quarter'
          ? { kind: 'quarter', quarter: p.quarter, year: Number(p.year), start: null, end: null, note: blank(p.note) }
          : {
              kind: 'dates',
              quarter: null,
              year: null,
              start: p.start || null,
              end: p.end || null,
              note: blank(p.note),
            },
    closing: blank(f.closing),
    signer_prefix: f.signer_prefix,
    signer_title: blank(f.signer_title),
    signer_name: blank(f.signer_name),
    recipients: f.recipients
      .filter((r) => r.name.trim())
      .map((r) => ({ name: r.name.trim(), purpose: blank(r.purpose), agency_ids: r.agency_ids })),
  };
}

export type PlanErrors = Partial<Record<PlanField | 'period.quarter' | 'period.start' | 'period.end', string>>;

/** Checks the form the way the API will; values are i18n keys. */
export function validatePlan(f: PlanForm): PlanErrors {
  const e: PlanErrors = {};
  if (f.title.trim().length < 5) e.title = 'campaigns.form.titleTooShort';
  if (f.year === '' || f.year < 2000 || f.year > 2100) e.year = 'campaigns.form.yearInvalid';
  if (f.issuing_agency_id == null) e.issuing_agency_id = 'account.required';
  if (!f.place.trim()) e.place = 'account.required';
  const numbers = f.content_areas.filter((a) => a.title.trim()).map((a) => a.number);
  if (numbers.some((n) => n === '' || n < 1 || n > 20)) e.content_areas = 'campaigns.form.areaNumberInvalid';
  else if (new Set(numbers).size !== numbers.length) e.content_areas = 'campaigns.form.areaNumberTwice';
  const p = f.period;
  if (p.kind === 'quarter') {
    if (!p.quarter) e['period.quarter'] = 'account.required';
    if (p.year === '' || p.year < 2000 || p.year > 2100) e.period = 'campaigns.form.yearInvalid';
  }
  if (p.kind === 'dates') {
    if (!p.start) e['period.start'] = 'account.required';
    if (!p.end) e['period.end'] = 'account.required';
    if (p.start && p.end && p.end < p.start) e['period.end'] = 'campaigns.form.periodReversed';
  }
  return e;
}

/** The sections that differ between two payloads (what an amendment changes). */
export function planChanges(before: PlanPayload, after: PlanPayload): Partial<PlanPayload> {
  const changes: Partial<PlanPayload> = {};
  for (const key of Object.keys(after) as (keyof PlanPayload)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      (changes as Record<string, unknown>)[key] = after[key];
    }
  }
  return changes;
}
