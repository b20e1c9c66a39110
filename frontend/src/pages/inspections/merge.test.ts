import { describe, expect, it } from 'vitest';
import { mergeFields, resolve, settled } from './merge';

const base = { severity: 'minor', description: 'Nhãn thiếu hạn dùng.', recommendation: null, product_id: 5 };

describe('mergeFields', () => {
  it('keeps what each side changed when they changed different fields', () => {
    const mine = { ...base, recommendation: 'In lại nhãn.' };
    const theirs = { ...base, severity: 'major' };
    const m = mergeFields(base, mine, theirs);
    expect(m.conflicts).toEqual([]);
    // the server's severity stands; my recommendation is sent
    expect(m.changes).toEqual({ recommendation: 'In lại nhãn.' });
  });

  it('asks when both changed the same field differently, and sends the choice', () => {
    const mine = { ...base, description: 'Nhãn thiếu hạn sử dụng và mã lô.' };
    const theirs = { ...base, description: 'Nhãn thiếu hạn sử dụng.' };
    const m = mergeFields(base, mine, theirs);
    expect(m.conflicts).toEqual([
      { field: 'description', base: base.description, mine: mine.description, theirs: theirs.description },
    ]);
    expect(settled(m, {})).toBe(false);
    expect(resolve(m, { description: 'mine' })).toEqual({ description: mine.description });
    expect(resolve(m, { description: 'theirs' })).toEqual({});
    expect(settled(m, { description: 'theirs' })).toBe(true);
  });

  it('is no conflict when both made the same change (spaces aside)', () => {
    const m = mergeFields(base, { ...base, severity: 'major ' }, { ...base, severity: 'major' });
    expect(m).toEqual({ changes: {}, conflicts: [] });
  });

  it('sends nothing for fields not changed here, even when the server changed them', () => {
    const m = mergeFields(base, { ...base }, { ...base, description: 'Khác', product_id: 6 });
    expect(m).toEqual({ changes: {}, conflicts: [] });
  });

  it('treats a cleared text as a change to null', () => {
    const withRec = { ...base, recommendation: 'Cũ' };
    const m = mergeFields(withRec, { ...withRec, recommendation: '  ' }, { ...withRec, severity: 'major' });
    expect(m.changes).toEqual({ recommendation: '  ' });
    expect(m.conflicts).toEqual([]);
  });
});
