import { describe, expect, it } from 'vitest';
import type { Answer, VisitRecord } from '../../api/types';
import { blankAnswer } from './answers';
import {
  draftStore,
  effectiveAnswers,
  effectiveRecord,
  emptyDraft,
  isEmptyDraft,
  pendingAnswers,
  pendingRecord,
  reconcileAnswers,
  reconcileRecord,
  recordPayload,
  withAnswer,
  withRecord,
  type DraftStorage,
} from './drafts';

const server = (patch: Partial<Answer>): Answer =>
  ({
    id: 1,
    visit_id: 5,
    item_code: 'ND3.05',
    product_id: 7,
    value: 'yes',
    number_value: null,
    text_value: null,
    note: null,
    failed: false,
    answered_at: '2024-06-20T01:00:00Z',
    version: 1,
    ...patch,
  }) as Answer;

const record = (patch: Partial<VisitRecord> = {}) =>
  ({
    actual_start: '2024-06-20T01:00:00Z',
    actual_end: null,
    attendees: [{ name: 'Nguyễn Văn Bành', title: 'Giám đốc', organisation: null }],
    gps_lat: null,
    gps_lon: null,
    gps_accuracy_m: null,
    record_note: 'Đoàn đến lúc 8 giờ.',
    ...patch,
  }) as VisitRecord;

describe('answers typed on the device', () => {
  it('shows the typed answers over the server copy', () => {
    const d = withAnswer(emptyDraft(), blankAnswer('ND2.01', 7), { value: 'no', note: 'Ngừng sản xuất' });
    const shown = effectiveAnswers([server({}), server({ item_code: 'ND2.01', value: 'yes' })], d);
    expect(shown.get('ND3.05#7')?.value).toBe('yes');
    expect(shown.get('ND2.01#7')).toMatchObject({ value: 'no', note: 'Ngừng sản xuất' });
  });

  it('keeps the item and product of the answer whatever the patch says', () => {
    const d = withAnswer(emptyDraft(), blankAnswer('ND3.05', 7), { item_code: 'X', product_id: 9, value: 'na' } as never);
    expect(Object.keys(d.answers)).toEqual(['ND3.05#7']);
  });

  it('is pending only when it differs from the server (spaces aside) and is not blank', () => {
    let d = withAnswer(emptyDraft(), blankAnswer('ND3.05', 7), { value: 'yes', note: '' });
    expect(pendingAnswers(d, [server({})])).toEqual([]);
    d = withAnswer(d, d.answers['ND3.05#7'], { note: 'Sổ ghi chưa đủ ' });
    expect(pendingAnswers(d, [server({ note: 'Sổ ghi chưa đủ' })])).toEqual([]);
    expect(pendingAnswers(d, [server({})])).toHaveLength(1);
    const blank = withAnswer(emptyDraft(), blankAnswer('ND4.01', 7), { note: '   ' });
    expect(pendingAnswers(blank, [])).toEqual([]);
    const fresh = withAnswer(emptyDraft(), blankAnswer('ND4.01', 7), { value: 'na' });
    expect(pendingAnswers(fresh, [])).toHaveLength(1);
  });

  it('drops what the server now holds, keeps what was typed while sending and a trailing space', () => {
    let d = withAnswer(emptyDraft(), blankAnswer('ND3.05', 7), { value: 'no', note: 'Thiếu sổ' });
    d = withAnswer(d, blankAnswer('ND4.04', 7), { value: 'no', note: 'Mã QR ' });
    d = withAnswer(d, blankAnswer('ND2.01', 7), { value: 'yes' });
    const held = [
      server({ value: 'no', note: 'Thiếu sổ' }),
      server({ item_code: 'ND4.04', value: 'no', note: 'Mã QR' }),
      server({ item_code: 'ND2.01', value: 'no' }), // an older copy: typed later, still to send
    ];
    const after = reconcileAnswers(d, held);
    expect(Object.keys(after.answers).sort()).toEqual(['ND2.01#7', 'ND4.04#7']);
    expect(pendingAnswers(after, held).map((a) => a.item_code)).toEqual(['ND2.01']);
  });
});

describe('the record typed on the device', () => {
  it('shows the typed fields over the server copy', () => {
    const d = withRecord(emptyDraft(), { record_note: 'Ghi chú mới' });
    expect(effectiveRecord(record(), d)).toMatchObject({ record_note: 'Ghi chú mới', actual_start: '2024-06-20T01:00:00Z' });
  });

  it('sends only real changes: the same instant written otherwise, blank attendee rows and spaces are not', () => {
    const d = withRecord(emptyDraft(), {
      actual_start: '2024-06-20T08:00:00+07:00',
      attendees: [
        { name: ' Nguyễn Văn Bành ', title: 'Giám đốc', organisation: '' },
        { name: '', title: null, organisation: null },
      ],
      record_note: 'Đoàn đến lúc 8 giờ. ',
    });
    expect(pendingRecord(d, record())).toEqual({});
    const changed = withRecord(d, { actual_end: '2024-06-20T10:30:00+07:00', gps_lat: 21.6, gps_lon: 106.6 });
    expect(pendingRecord(changed, record())).toEqual({
      actual_end: '2024-06-20T10:30:00+07:00',
      gps_lat: 21.6,
      gps_lon: 106.6,
      gps_accuracy_m: null,
    });
  });

  it('cleans the attendees and the note for the API', () => {
    expect(
      recordPayload({
        attendees: [
          { name: ' Lý Việt Hưng ', title: ' Trưởng đoàn ', organisation: '' },
          { name: ' ', title: 'x', organisation: null },
        ],
        record_note: '   ',
      }),
    ).toEqual({ attendees: [{ name: 'Lý Việt Hưng', title: 'Trưởng đoàn', organisation: null }], record_note: null });
  });

  it('drops fields the server holds as typed, keeps a blank row being filled in', () => {
    const d = withRecord(emptyDraft(), {
      record_note: 'Đoàn đến lúc 8 giờ.',
      attendees: [{ name: 'Nguyễn Văn Bành', title: 'Giám đốc', organisation: null }, { name: '', title: null, organisation: null }],
    });
    const after = reconcileRecord(d, record());
    expect(Object.keys(after.record)).toEqual(['attendees']);
    expect(reconcileRecord(withRecord(emptyDraft(), { record_note: 'Đoàn ' }), record({ record_note: 'Đoàn' })).record).toEqual({
      record_note: 'Đoàn ',
    });
  });
});

function memoryStorage(): DraftStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe('the draft store', () => {
  it('keeps a draft per user and visit, and removes it once empty', () => {
    const storage = memoryStorage();
    const store = draftStore(storage);
    const d = withAnswer(emptyDraft(), blankAnswer('ND3.05', 7), { value: 'no', note: 'Chưa có sổ ' });
    expect(store.save(4, 12, d)).toBe(true);
    expect(store.load(4, 12)).toEqual(d);
    expect(isEmptyDraft(store.load(5, 12))).toBe(true);
    expect(isEmptyDraft(store.load(4, 13))).toBe(true);
    store.save(4, 12, emptyDraft());
    expect(storage.data.size).toBe(0);
  });

  it('survives damaged data and a browser that refuses to store', () => {
    const storage = memoryStorage();
    storage.setItem('ocop.visit-draft.v1.4.12', '{not json');
    expect(draftStore(storage).load(4, 12)).toEqual(emptyDraft());
    const full: DraftStorage = { ...storage, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(draftStore(full).save(4, 12, withRecord(emptyDraft(), { record_note: 'x' }))).toBe(false);
    expect(draftStore(undefined).load(1, 1)).toEqual(emptyDraft());
  });
});
