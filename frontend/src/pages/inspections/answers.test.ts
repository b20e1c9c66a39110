import { describe, expect, it } from 'vitest';
import type { CampaignChecklist, ChecklistItem, Visit } from '../../api/types';
import {
  answerKey,
  answerTargets,
  blankAnswer,
  isBlank,
  isComplete,
  isFailed,
  progressOf,
  sameAnswer,
  sameAsTyped,
  toPayload,
  visitSections,
  type AnswerDraft,
} from './answers';

const target = (producer: number, product: number | null, names = ['HTX Đồng Bành', 'Na Chi Lăng']) => ({
  producer_id: producer,
  producer_name: names[0],
  product_id: product,
  product_name: product ? names[1] : null,
});

const item = (code: string, area: number, applies: 'producer' | 'local_government', type = 'yes_no_na') =>
  ({ code, content_area: area, applies_to: applies, answer_type: type, question: code }) as unknown as ChecklistItem;

const checklist = {
  sections: [
    { content_area: 1, title: 'Địa phương', items: [item('ND1.01', 1, 'local_government'), item('ND1.03', 1, 'local_government', 'number')] },
    { content_area: 3, title: 'Nhãn hiệu', items: [item('ND3.05', 3, 'producer'), item('ND2.04', 3, 'producer', 'number')] },
  ],
} as unknown as CampaignChecklist;

const answer = (patch: Partial<AnswerDraft> = {}): AnswerDraft => ({ ...blankAnswer('ND3.05', 7), ...patch });

describe('what a visit answers', () => {
  it('answers producer items once per target product, without duplicates', () => {
    const visit = { targets: [target(1, 7), target(1, 7), target(1, 8, ['HTX Đồng Bành', 'Na sấy']), target(2, null, ['HTX Lúa Vy'])] };
    expect(answerTargets(visit as Pick<Visit, 'targets'>)).toEqual([
      { productId: 7, producerId: 1, label: 'Na Chi Lăng — HTX Đồng Bành' },
      { productId: 8, producerId: 1, label: 'Na sấy — HTX Đồng Bành' },
      { productId: null, producerId: 2, label: 'HTX Lúa Vy' },
    ]);
  });

  it('takes the producer items at a site visit and the local government items at a working session', () => {
    const site = visitSections(checklist, { kind: 'site_visit', targets: [target(1, 7)] } as Visit);
    expect(site.producer.map((s) => s.items.map((i) => i.code))).toEqual([['ND3.05', 'ND2.04']]);
    expect(site.local).toEqual([]);
    const session = visitSections(checklist, { kind: 'working_session', targets: [] } as unknown as Visit);
    expect(session.producer).toEqual([]);
    expect(session.local.map((s) => [s.area, s.title, s.items.length])).toEqual([[1, 'Địa phương', 2]]);
    // a working session that also meets producers answers both
    const both = visitSections(checklist, { kind: 'working_session', targets: [target(1, 7)] } as Visit);
    expect([both.producer.length, both.local.length]).toEqual([1, 1]);
  });
});

describe('one answer', () => {
  it('keys answers by item and product (0 for the visit as a whole)', () => {
    expect(answerKey('ND3.05', 7)).toBe('ND3.05#7');
    expect(answerKey('ND1.01', null)).toBe('ND1.01#0');
  });

  it('is complete once the API will take it', () => {
    expect(isComplete(answer(), 'yes_no_na')).toBe(false);
    expect(isComplete(answer({ note: 'chỉ có ghi chú' }), 'yes_no_na')).toBe(false);
    expect(isComplete(answer({ value: 'na' }), 'yes_no_na')).toBe(true);
    expect(isComplete(answer({ number_value: 0 }), 'number')).toBe(true);
    expect(isComplete(answer({ value: 'na' }), 'number')).toBe(true);
    expect(isComplete(answer({ text_value: '   ' }), 'text')).toBe(false);
    expect(isComplete(answer({ text_value: 'Siêu thị' }), 'text')).toBe(true);
    expect(isComplete(answer({ value: 'no' }), 'photo')).toBe(true);
  });

  it('fails a yes/no item answered "no" only', () => {
    expect(isFailed(answer({ value: 'no' }), 'yes_no_na')).toBe(true);
    expect(isFailed(answer({ value: 'no' }), 'photo')).toBe(true);
    expect(isFailed(answer({ value: 'na' }), 'yes_no_na')).toBe(false);
    expect(isFailed(undefined, 'yes_no_na')).toBe(false);
  });

  it('tells blank answers apart', () => {
    expect(isBlank(undefined)).toBe(true);
    expect(isBlank(answer({ note: '  ' }))).toBe(true);
    expect(isBlank(answer({ number_value: 0 }))).toBe(false);
  });

  it('compares answers as stored (trimmed) or exactly as typed', () => {
    expect(sameAnswer(answer({ note: 'Thiếu sổ ' }), answer({ note: 'Thiếu sổ' }))).toBe(true);
    expect(sameAnswer(answer({ note: '' }), answer({ note: null }))).toBe(true);
    expect(sameAnswer(answer({ value: 'yes' }), answer({ value: 'no' }))).toBe(false);
    expect(sameAsTyped(answer({ note: 'Thiếu sổ ' }), answer({ note: 'Thiếu sổ' }))).toBe(false);
    expect(sameAsTyped(answer({ note: null }), answer({ note: '' }))).toBe(true);
  });

  it('sends trimmed texts, nulls for blanks and the product only when there is one', () => {
    expect(toPayload(answer({ value: 'no', note: '  Chưa có sổ theo dõi tem. ' }))).toEqual({
      item_code: 'ND3.05',
      product_id: 7,
      value: 'no',
      number_value: null,
      text_value: null,
      note: 'Chưa có sổ theo dõi tem.',
    });
    expect(toPayload({ ...blankAnswer('ND1.03', null), number_value: 12 })).not.toHaveProperty('product_id');
  });
});

describe('progress', () => {
  it('counts complete answers and failures over items × products', () => {
    const items = [item('ND3.05', 3, 'producer'), item('ND2.04', 3, 'producer', 'number')];
    const answers = new Map<string, AnswerDraft>([
      ['ND3.05#7', answer({ value: 'no' })],
      ['ND2.04#7', { ...blankAnswer('ND2.04', 7), note: 'chưa có số' }],
      ['ND3.05#8', { ...blankAnswer('ND3.05', 8), value: 'yes' }],
    ]);
    expect(progressOf(items, [7, 8], answers)).toEqual({ answered: 2, total: 4, failed: 1 });
    expect(progressOf(items, [7], answers)).toEqual({ answered: 1, total: 2, failed: 1 });
  });
});
