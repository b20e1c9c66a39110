import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../api/types';
import { emptyPlan, nextAreaNumber, planChanges, planFromContent, planToPayload, validatePlan } from './planForm';

const plan = {
  title: 'Kiểm tra tình hình thực hiện Chương trình OCOP năm 2024',
  year: 2024,
  issuing_agency_id: 6,
  place: 'Lạng Sơn',
  document_date: '2024-03-15',
  introduction: null,
  legal_bases: [{ number: '129/KH-UBND', date: '2021-06-05', issuer: 'UBND tỉnh', subject: null }],
  purposes: ['Đánh giá tình hình triển khai.'],
  requirements: [],
  content_areas: [
    { number: 1, title: 'Tình hình triển khai.' },
    { number: 3, title: 'Nhãn hiệu chứng nhận.' },
  ],
  methods: [],
  targets: [],
  team_composition: [
    { description: 'Lãnh đạo Sở (Trưởng đoàn)', agency_ids: [6], team_role: 'head', invited_as_needed: false },
  ],
  counterparts: [{ role: 'local_leaders', description: 'Lãnh đạo UBND huyện', agency_id: null }],
  period: { kind: 'quarter', quarter: 2, year: 2024, start: null, end: null, note: null },
  closing: null,
  signer_prefix: null,
  signer_title: 'GIÁM ĐỐC',
  signer_name: 'Lý Việt Hưng',
  recipients: [{ name: 'UBND tỉnh', purpose: 'B/c', agency_ids: [1] }],
} as unknown as Campaign;

describe('plan form', () => {
  it('round-trips a plan through the form unchanged', () => {
    const payload = planToPayload(planFromContent(plan));
    expect(payload).toMatchObject({
      title: plan.title,
      year: 2024,
      issuing_agency_id: 6,
      legal_bases: [{ number: '129/KH-UBND', date: '2021-06-05', issuer: 'UBND tỉnh', subject: null }],
      content_areas: plan.content_areas,
      team_composition: plan.team_composition,
      counterparts: plan.counterparts,
      period: { kind: 'quarter', quarter: 2, year: 2024, start: null, end: null, note: null },
      signer_title: 'GIÁM ĐỐC',
      recipients: plan.recipients,
    });
    expect(planChanges(planToPayload(planFromContent(plan)), payload)).toEqual({});
  });

  it('drops blank lines and rows, trims text, and turns empty text into null', () => {
    const form = emptyPlan(2026);
    form.title = '  Kế hoạch kiểm tra năm 2026  ';
    form.issuing_agency_id = 2;
    form.place = ' Lạng Sơn ';
    form.purposes = ['  Mục đích một ', '   '];
    form.legal_bases = [{ number: '', date: '', issuer: 'x', subject: '' }];
    form.content_areas = [
      { number: 1, title: ' Nội dung ' },
      { number: 2, title: '' },
    ];
    form.recipients = [{ name: 'Lưu VT', purpose: '', agency_ids: [] }];
    const payload = planToPayload(form);
    expect(payload.title).toBe('Kế hoạch kiểm tra năm 2026');
    expect(payload.place).toBe('Lạng Sơn');
    expect(payload.purposes).toEqual(['Mục đích một']);
    expect(payload.legal_bases).toEqual([]);
    expect(payload.content_areas).toEqual([{ number: 1, title: 'Nội dung' }]);
    expect(payload.recipients).toEqual([{ name: 'Lưu VT', purpose: null, agency_ids: [] }]);
    expect(payload.introduction).toBeNull();
    expect(payload.period).toBeNull();
    expect(payload.document_date).toBeNull();
  });

  it('sends the period as a quarter or as dates', () => {
    const form = emptyPlan(2026);
    form.period = {
      kind: 'dates',
      quarter: 2,
      year: 2026,
      start: '2026-04-01',
      end: '2026-06-30',
      note: ' cụ thể sẽ thông báo ',
    };
    expect(planToPayload(form).period).toEqual({
      kind: 'dates',
      quarter: null,
      year: null,
      start: '2026-04-01',
      end: '2026-06-30',
      note: 'cụ thể sẽ thông báo',
    });
    form.period = { ...form.period, kind: 'quarter', note: '' };
    expect(planToPayload(form).period).toEqual({
      kind: 'quarter',
      quarter: 2,
      year: 2026,
      start: null,
      end: null,
      note: null,
    });
  });

  it('checks what the API would refuse', () => {
    const form = emptyPlan(2026);
    expect(validatePlan(form)).toEqual({
      title: 'campaigns.form.titleTooShort',
      issuing_agency_id: 'account.required',
      place: 'account.required',
    });
    form.title = 'Kế hoạch kiểm tra';
    form.issuing_agency_id = 2;
    form.place = 'Lạng Sơn';
    expect(validatePlan(form)).toEqual({});
    form.content_areas = [
      { number: 1, title: 'a' },
      { number: 1, title: 'b' },
    ];
    expect(validatePlan(form).content_areas).toBe('campaigns.form.areaNumberTwice');
    form.content_areas = [{ number: '', title: 'a' }];
    expect(validatePlan(form).content_areas).toBe('campaigns.form.areaNumberInvalid');
    form.content_areas = [];
    form.period = { kind: 'quarter', quarter: null, year: 2026, start: '', end: '', note: '' };
    expect(validatePlan(form)['period.quarter']).toBe('account.required');
    form.period = { kind: 'dates', quarter: null, year: 2026, start: '2026-06-30', end: '2026-04-01', note: '' };
    expect(validatePlan(form)['period.end']).toBe('campaigns.form.periodReversed');
  });

  it('numbers a new content area after the highest one', () => {
    expect(nextAreaNumber([])).toBe(1);
    expect(
      nextAreaNumber([
        { number: 1, title: '' },
        { number: 4, title: '' },
        { number: '', title: '' },
      ]),
    ).toBe(5);
  });

  it('sends only the sections an amendment changes', () => {
    const before = planToPayload(planFromContent(plan));
    const form = planFromContent(plan);
    form.period = { ...form.period, quarter: 3 };
    form.purposes = [...form.purposes, 'Mục đích bổ sung'];
    const changes = planChanges(before, planToPayload(form));
    expect(Object.keys(changes).sort()).toEqual(['period', 'purposes']);
    expect(changes.period).toMatchObject({ kind: 'quarter', quarter: 3 });
  });
});
