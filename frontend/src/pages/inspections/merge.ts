// Merging an edit made on a copy that someone else changed meanwhile (412 on If-Match), field by field
// (unit-tested in merge.test.ts): a field only one side changed takes that side's value; a field both changed
// to different values is a conflict the user settles; nothing typed is dropped without being asked.

export type Fields = Record<string, unknown>;

export interface Conflict {
  field: string;
  /** The value both started from. */
  base: unknown;
  mine: unknown;
  theirs: unknown;
}

export interface Merge {
  /** Changes to send on top of `theirs` (the server's newer version): only fields whose value differs from it. */
  changes: Fields;
  /** Fields both sides changed to different values: the user chooses. */
  conflicts: Conflict[];
}

const norm = (v: unknown) => (typeof v === 'string' ? v.trim() || null : v === undefined ? null : v);
export const same = (a: unknown, b: unknown) => JSON.stringify(norm(a)) === JSON.stringify(norm(b));

/**
 * `base`: the version the edit started from; `mine`: the fields as edited (only the edited form's fields);
 * `theirs`: the server's newer version.
 */
export function mergeFields(base: Fields, mine: Fields, theirs: Fields): Merge {
  const changes: Fields = {};
  const conflicts: Conflict[] = [];
  for (const field of Object.keys(mine)) {
    const changedHere = !same(mine[field], base[field]);
    const changedThere = !same(theirs[field], base[field]);
    if (!changedHere) continue; // theirs stands (changed or not)
    if (!changedThere || same(mine[field], theirs[field])) {
      if (!same(mine[field], theirs[field])) changes[field] = mine[field];
      continue;
    }
    conflicts.push({ field, base: base[field], mine: mine[field], theirs: theirs[field] });
  }
  return { changes, conflicts };
}

/** The changes once the user chose, for every conflict, 'mine' or 'theirs'. */
export function resolve(merge: Merge, choices: Record<string, 'mine' | 'theirs'>): Fields {
  const out = { ...merge.changes };
  for (const c of merge.conflicts) {
    if (choices[c.field] === 'mine') out[c.field] = c.mine;
  }
  return out;
}

/** Whether every conflict has a choice. */
export const settled = (merge: Merge, choices: Record<string, 'mine' | 'theirs'>) =>
  merge.conflicts.every((c) => choices[c.field] === 'mine' || choices[c.field] === 'theirs');
