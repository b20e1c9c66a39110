// The visit form's model: a working session or site visit as editable values in Vietnam time,
// to and from the API's shape. Pure functions, unit-tested in visitForm.test.ts.
import type { Visit, VisitCreate, VisitKind } from '../../api/types';
import { vnIso, vnParts } from './model';
import type { CounterpartForm } from './planForm';

export interface TargetForm {
  producer_id: number | null;
  product_id: number | null;
}

export interface VisitForm {
  kind: VisitKind;
  date: string;
  start: string;
  end: string;
  place: string;
  admin_unit_id: number | null;
  host_agency_id: number | null;
  programme: string;
  counterparts: CounterpartForm[];
  /** Empty: the whole team. */
  team_member_ids: number[];
  targets: TargetForm[];
}

export type VisitErrors = Partial<Record<'date' | 'start' | 'end' | 'place' | 'admin_unit_id' | 'targets', string>>;

export function emptyVisit(preset: Partial<VisitForm> = {}): VisitForm {
  return {
    kind: 'working_session',
    date: '',
    start: '08:00',
    end: '11:00',
    place: '',
    admin_unit_id: null,
    host_agency_id: null,
    programme: '',
    counterparts: [],
    team_member_ids: [],
    targets: [],
    ...preset,
  };
}

export function visitToForm(v: Visit): VisitForm {
  const start = vnParts(v.starts_at);
  return {
    kind: v.kind,
    date: start.date,
    start: start.time,
    end: vnParts(v.ends_at).time,
    place: v.place,
    admin_unit_id: v.admin_unit_id,
    host_agency_id: v.host_agency_id ?? null,
    programme: v.programme ?? '',
    counterparts: (v.counterparts ?? []).map((c) => ({
      role: c.role,
      description: c.description,
      agency_id: c.agency_id ?? null,
    })),
    team_member_ids: [...(v.team_member_ids ?? [])],
    targets: (v.targets ?? []).map((t) => ({ producer_id: t.producer_id, product_id: t.product_id ?? null })),
  };
}

/** Checks the form as the API will; values are i18n keys. */
export function validateVisit(f: VisitForm): VisitErrors {
  const e: VisitErrors = {};
  if (!f.date) e.date = 'account.required';
  if (!f.start) e.start = 'account.required';
  if (!f.end) e.end = 'account.required';
  else if (f.start && f.end <= f.start) e.end = 'campaigns.visits.endBeforeStart';
  if (!f.place.trim()) e.place = 'account.required';
  if (f.admin_unit_id == null) e.admin_unit_id = 'account.required';
  if (f.kind === 'site_visit' && !f.targets.some((t) => t.producer_id != null))
    e.targets = 'campaigns.visits.targetsRequired';
  return e;
}

/** The API's body: times with the +07:00 offset, empty rows left out. Call after `validateVisit`. */
export function formToVisit(f: VisitForm): VisitCreate {
  return {
    kind: f.kind,
    starts_at: vnIso(f.date, f.start),
    ends_at: vnIso(f.date, f.end),
    place: f.place.trim(),
    admin_unit_id: f.admin_unit_id ?? 0,
    host_agency_id: f.host_agency_id,
    programme: f.programme.trim() || null,
    counterparts: f.counterparts
      .filter((c) => c.description.trim())
      .map((c) => ({ role: c.role, description: c.description.trim(), agency_id: c.agency_id })),
    team_member_ids: f.team_member_ids,
    targets: f.targets
      .filter((t): t is { producer_id: number; product_id: number | null } => t.producer_id != null)
      .map((t) => ({ producer_id: t.producer_id, product_id: t.product_id })),
  };
}
