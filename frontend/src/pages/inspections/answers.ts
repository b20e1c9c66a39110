// The checklist answer model (unit-tested in answers.test.ts): which items a visit answers and for
// which products, what a complete answer is, and the payload the API takes.
import type { Answer, AnswerIn, AnswerValue, CampaignChecklist, ChecklistItem, Visit } from '../../api/types';

export type AnswerType = ChecklistItem['answer_type'];

/** What producer items are answered for: each product the visit inspects (or the producer, without one). */
export interface AnswerTarget {
  productId: number | null;
  producerId: number;
  label: string;
}

export function answerTargets(visit: Pick<Visit, 'targets'>): AnswerTarget[] {
  const seen = new Set<string>();
  const out: AnswerTarget[] = [];
  for (const t of visit.targets) {
    const key = `${t.producer_id}:${t.product_id ?? 0}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      productId: t.product_id ?? null,
      producerId: t.producer_id,
      label: t.product_name ? `${t.product_name} — ${t.producer_name}` : t.producer_name,
    });
  }
  return out;
}

export interface ChecklistSection {
  area: number;
  title: string | null;
  items: ChecklistItem[];
}

/**
 * The sections a visit answers: the producer items when it inspects producers (each answered per
 * target product), the local government's items at a working session (or a visit without producers).
 */
export function visitSections(
  checklist: Pick<CampaignChecklist, 'sections'>,
  visit: Pick<Visit, 'kind' | 'targets'>,
): { producer: ChecklistSection[]; local: ChecklistSection[] } {
  const withProducers = visit.targets.length > 0;
  const withLocal = visit.kind === 'working_session' || !withProducers;
  const pick = (appliesTo: ChecklistItem['applies_to']) =>
    checklist.sections
      .map((s) => ({
        area: s.content_area,
        title: s.title ?? null,
        items: s.items.filter((i) => (i.applies_to ?? 'producer') === appliesTo),
      }))
      .filter((s) => s.items.length > 0);
  return { producer: withProducers ? pick('producer') : [], local: withLocal ? pick('local_government') : [] };
}

// ---- one answer ---------------------------------------------------------------------------

export interface AnswerDraft {
  item_code: string;
  product_id: number | null;
  value: AnswerValue | null;
  number_value: number | null;
  text_value: string | null;
  note: string | null;
}

/** The key of an answer: an item, for one product (0: the visit as a whole). */
export const answerKey = (itemCode: string, productId: number | null | undefined) => `${itemCode}#${productId ?? 0}`;

export const keyOf = (a: Pick<AnswerDraft, 'item_code' | 'product_id'>) => answerKey(a.item_code, a.product_id);

export function blankAnswer(itemCode: string, productId: number | null): AnswerDraft {
  return { item_code: itemCode, product_id: productId, value: null, number_value: null, text_value: null, note: null };
}

export function fromServer(a: Answer): AnswerDraft {
  return {
    item_code: a.item_code,
    product_id: a.product_id ?? null,
    value: (a.value as AnswerValue | null) ?? null,
    number_value: a.number_value ?? null,
    text_value: a.text_value ?? null,
    note: a.note ?? null,
  };
}

const clean = (s: string | null | undefined) => {
  const v = (s ?? '').trim();
  return v ? v : null;
};

/** Blank texts as null, trimmed otherwise (what the API stores). */
export function normalise(a: AnswerDraft): AnswerDraft {
  return {
    item_code: a.item_code,
    product_id: a.product_id ?? null,
    value: a.value ?? null,
    number_value: typeof a.number_value === 'number' && Number.isFinite(a.number_value) ? a.number_value : null,
    text_value: clean(a.text_value),
    note: clean(a.note),
  };
}

export function sameAnswer(a: AnswerDraft | undefined, b: AnswerDraft | undefined): boolean {
  if (!a || !b) return !a && !b;
  const x = normalise(a);
  const y = normalise(b);
  return (
    x.item_code === y.item_code &&
    x.product_id === y.product_id &&
    x.value === y.value &&
    x.number_value === y.number_value &&
    x.text_value === y.text_value &&
    x.note === y.note
  );
}

const raw = (s: string | null | undefined) => s ?? '';

/**
 * The same answer, texts compared as typed (a trailing space included): a typed answer is dropped
 * from the draft only then, so that what is being typed never changes under the user's fingers.
 */
export function sameAsTyped(a: AnswerDraft, b: AnswerDraft): boolean {
  return (
    sameAnswer(a, b) && raw(a.note) === raw(b.note) && raw(a.text_value) === raw(b.text_value)
  );
}

/** Whether the API will take the answer: yes/no/na chosen, the figure or the text given (or "not applicable"). */
export function isComplete(a: AnswerDraft, type: AnswerType): boolean {
  const n = normalise(a);
  switch (type) {
    case 'yes_no_na':
    case 'photo':
      return n.value !== null;
    case 'number':
      return n.value === 'na' || n.number_value !== null;
    case 'text':
      return n.value === 'na' || n.text_value !== null;
    default:
      return false;
  }
}

/** Whether nothing has been given yet (an untouched item). */
export function isBlank(a: AnswerDraft | undefined): boolean {
  if (!a) return true;
  const n = normalise(a);
  return n.value === null && n.number_value === null && n.text_value === null && n.note === null;
}

/** "No" on a yes/no item fails it (the API proposes a finding for it on submission). */
export function isFailed(a: AnswerDraft | undefined, type: AnswerType): boolean {
  return Boolean(a) && (type === 'yes_no_na' || type === 'photo') && a!.value === 'no';
}

export function toPayload(a: AnswerDraft): AnswerIn {
  const n = normalise(a);
  const out: AnswerIn = {
    item_code: n.item_code,
    value: n.value,
    number_value: n.number_value,
    text_value: n.text_value,
    note: n.note,
  };
  if (n.product_id != null) out.product_id = n.product_id;
  return out;
}

// ---- progress -----------------------------------------------------------------------------

export interface Progress {
  answered: number;
  total: number;
  failed: number;
}

/** How many of `items` (each answered once per product id) have a complete answer, and how many failed. */
export function progressOf(
  items: readonly Pick<ChecklistItem, 'code' | 'answer_type'>[],
  productIds: readonly (number | null)[],
  answers: ReadonlyMap<string, AnswerDraft>,
): Progress {
  let answered = 0;
  let failed = 0;
  for (const item of items) {
    for (const pid of productIds) {
      const a = answers.get(answerKey(item.code, pid));
      if (a && isComplete(a, item.answer_type)) answered++;
      if (isFailed(a, item.answer_type)) failed++;
    }
  }
  return { answered, total: items.length * productIds.length, failed };
}
