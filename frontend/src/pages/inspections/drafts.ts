// The offline draft of a visit (unit-tested in drafts.test.ts): everything typed on the visit screen
// (answers, notes, the record's fields) is kept in the browser at once, keyed by user and visit, and
// stays there until the server holds the same values. Pure functions plus a store over any
// localStorage-like object.
import type { Answer, Attendee, VisitRecord, VisitRecordUpdate } from '../../api/types';
import { fromServer, keyOf, normalise, sameAnswer, sameAsTyped, type AnswerDraft } from './answers';

export interface RecordFields {
  actual_start: string | null;
  actual_end: string | null;
  attendees: Attendee[];
  gps_lat: number | null;
  gps_lon: number | null;
  gps_accuracy_m: number | null;
  record_note: string | null;
  /** "Ý kiến của đại diện bên được kiểm tra" in the minutes. */
  host_comments: string | null;
}

export type RecordField = keyof RecordFields;
export const RECORD_FIELDS: readonly RecordField[] = [
  'actual_start',
  'actual_end',
  'attendees',
  'gps_lat',
  'gps_lon',
  'gps_accuracy_m',
  'record_note',
  'host_comments',
];

export interface VisitDraft {
  /** Answers typed here, by answer key; each stays until the server has the same answer. */
  answers: Record<string, AnswerDraft>;
  /** Record fields changed here. */
  record: Partial<RecordFields>;
}

export const emptyDraft = (): VisitDraft => ({ answers: {}, record: {} });

export function isEmptyDraft(d: VisitDraft): boolean {
  return Object.keys(d.answers).length === 0 && Object.keys(d.record).length === 0;
}

// ---- answers ------------------------------------------------------------------------------

/** The answers to show: the server's, with what was typed here on top. */
export function effectiveAnswers(server: readonly Answer[], draft: VisitDraft): Map<string, AnswerDraft> {
  const map = new Map<string, AnswerDraft>();
  for (const a of server) map.set(keyOf(a), fromServer(a));
  for (const [key, a] of Object.entries(draft.answers)) map.set(key, a);
  return map;
}

/** The draft after changing one answer (`current` is what the screen showed for it). */
export function withAnswer(draft: VisitDraft, current: AnswerDraft, patch: Partial<AnswerDraft>): VisitDraft {
  const next = { ...current, ...patch, item_code: current.item_code, product_id: current.product_id };
  return { ...draft, answers: { ...draft.answers, [keyOf(next)]: next } };
}

const serverMap = (server: readonly Answer[]) => new Map(server.map((a) => [keyOf(a), fromServer(a)]));

/** Typed answers the server does not hold yet (a typed answer equal to a missing one — blank — is not pending). */
export function pendingAnswers(draft: VisitDraft, server: readonly Answer[]): AnswerDraft[] {
  const held = serverMap(server);
  return Object.entries(draft.answers)
    .filter(([key, a]) => {
      const s = held.get(key);
      if (!s) return !sameAnswer(a, { ...a, value: null, number_value: null, text_value: null, note: null });
      return !sameAnswer(a, s);
    })
    .map(([, a]) => a);
}

/**
 * Drops the typed answers the server now holds exactly as typed (what was typed while sending stays,
 * and so does a trailing space being typed: the server trims it, the screen must not).
 */
export function reconcileAnswers(draft: VisitDraft, server: readonly Answer[]): VisitDraft {
  const held = serverMap(server);
  const answers = Object.fromEntries(
    Object.entries(draft.answers).filter(([key, a]) => {
      const s = held.get(key);
      return s ? !sameAsTyped(a, s) : pendingAnswers({ answers: { [key]: a }, record: {} }, []).length > 0;
    }),
  );
  return { ...draft, answers };
}

// ---- the record ---------------------------------------------------------------------------

export function recordFields(r: Pick<VisitRecord, Exclude<RecordField, 'host_comments'>> & { host_comments?: string | null }): RecordFields {
  return {
    actual_start: r.actual_start ?? null,
    actual_end: r.actual_end ?? null,
    attendees: r.attendees ?? [],
    gps_lat: r.gps_lat ?? null,
    gps_lon: r.gps_lon ?? null,
    gps_accuracy_m: r.gps_accuracy_m ?? null,
    record_note: r.record_note ?? null,
    host_comments: r.host_comments ?? null,
  };
}

export function effectiveRecord(r: Pick<VisitRecord, RecordField>, draft: VisitDraft): RecordFields {
  return { ...recordFields(r), ...draft.record };
}

export function withRecord(draft: VisitDraft, changes: Partial<RecordFields>): VisitDraft {
  return { ...draft, record: { ...draft.record, ...changes } };
}

const text = (s: string | null | undefined) => {
  const v = (s ?? '').trim();
  return v ? v : null;
};

/** Attendees as the API takes them: rows without a name (still being typed) left out, texts trimmed. */
export function cleanAttendees(list: readonly Attendee[]): Attendee[] {
  return list
    .map((a) => ({
      ...(a.honorific ? { honorific: a.honorific } : {}),
      name: (a.name ?? '').trim(),
      title: text(a.title),
      organisation: text(a.organisation),
    }))
    .filter((a) => a.name);
}

const instant = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);

function sameField<F extends RecordField>(field: F, a: RecordFields[F], b: RecordFields[F]): boolean {
  if (field === 'attendees') {
    return JSON.stringify(cleanAttendees(a as Attendee[])) === JSON.stringify(cleanAttendees(b as Attendee[]));
  }
  if (field === 'actual_start' || field === 'actual_end') return instant(a as string) === instant(b as string);
  if (field === 'record_note' || field === 'host_comments') return text(a as string) === text(b as string);
  return (a ?? null) === (b ?? null);
}

/** The record fields changed here that the server does not hold yet. */
export function pendingRecord(draft: VisitDraft, r: Pick<VisitRecord, RecordField>): Partial<RecordFields> {
  const server = recordFields(r);
  const out: Partial<RecordFields> = {};
  for (const field of RECORD_FIELDS) {
    if (!(field in draft.record)) continue;
    const value = draft.record[field] as RecordFields[typeof field];
    if (!sameField(field, value, server[field])) (out as Record<string, unknown>)[field] = value;
  }
  // the position is one reading: send the three together
  if ('gps_lat' in out || 'gps_lon' in out || 'gps_accuracy_m' in out) {
    const merged = { ...server, ...draft.record };
    out.gps_lat = merged.gps_lat;
    out.gps_lon = merged.gps_lon;
    out.gps_accuracy_m = merged.gps_accuracy_m;
  }
  return out;
}

/** The PATCH body for the pending record changes. */
export function recordPayload(changes: Partial<RecordFields>): VisitRecordUpdate {
  const body: VisitRecordUpdate = { ...changes };
  if (changes.attendees) body.attendees = cleanAttendees(changes.attendees);
  if ('record_note' in changes) body.record_note = text(changes.record_note);
  if ('host_comments' in changes) body.host_comments = text(changes.host_comments);
  return body;
}

/** Attendee rows as typed (blank rows and spaces included), for comparing with the server's. */
const typedRows = (list: readonly Attendee[] | undefined) =>
  JSON.stringify((list ?? []).map((a) => [a.honorific ?? '', a.name ?? '', a.title ?? '', a.organisation ?? '']));

/** Whether the server holds a field exactly as typed here (see `reconcileAnswers`). */
function heldAsTyped(field: RecordField, typed: unknown, server: RecordFields): boolean {
  if (field === 'attendees') return typedRows(typed as Attendee[]) === typedRows(server.attendees);
  if (field === 'record_note' || field === 'host_comments') {
    return ((typed as string | null) ?? '') === (server[field] ?? '');
  }
  return sameField(field, typed as never, server[field] as never);
}

/** Drops the record fields the server now holds exactly as typed. */
export function reconcileRecord(draft: VisitDraft, r: Pick<VisitRecord, RecordField>): VisitDraft {
  const server = recordFields(r);
  const record = Object.fromEntries(
    Object.entries(draft.record).filter(([field, value]) => !heldAsTyped(field as RecordField, value, server)),
  ) as Partial<RecordFields>;
  return { ...draft, record };
}

// ---- storage ------------------------------------------------------------------------------

export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const PREFIX = 'ocop.visit-draft.v1';

function parse(raw: string | null): VisitDraft {
  if (!raw) return emptyDraft();
  try {
    const data = JSON.parse(raw) as Partial<VisitDraft>;
    const answers: Record<string, AnswerDraft> = {};
    for (const a of Object.values(data.answers ?? {})) {
      if (a && typeof a.item_code === 'string') answers[keyOf(a)] = { ...normalise(a), note: a.note ?? null, text_value: a.text_value ?? null };
    }
    return { answers, record: data.record && typeof data.record === 'object' ? data.record : {} };
  } catch {
    return emptyDraft();
  }
}

/** Drafts in `storage` (localStorage: written synchronously, so nothing typed is lost on a reload). */
export function draftStore(storage: DraftStorage | undefined) {
  const key = (userId: number, visitId: number) => `${PREFIX}.${userId}.${visitId}`;
  return {
    load(userId: number, visitId: number): VisitDraft {
      try {
        return parse(storage?.getItem(key(userId, visitId)) ?? null);
      } catch {
        return emptyDraft();
      }
    },
    /** Keeps the draft; an empty one is removed. False when the browser refused to store it. */
    save(userId: number, visitId: number, draft: VisitDraft): boolean {
      try {
        if (isEmptyDraft(draft)) storage?.removeItem(key(userId, visitId));
        else storage?.setItem(key(userId, visitId), JSON.stringify(draft));
        return Boolean(storage);
      } catch {
        return false;
      }
    },
  };
}
