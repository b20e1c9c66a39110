import { describe, expect, it } from 'vitest';
import {
  bars,
  CERTIFICATE_COLORS,
  filterFromParams,
  filterToParams,
  filterToQuery,
  hasData,
  monthBars,
  percent,
  periodReversed,
  progress,
  rowLabel,
  slices,
  starBars,
  stats,
  summary,
  yearTrend,
  type CampaignProgress,
  type Dashboard,
} from './model';

const campaign = (over: Partial<CampaignProgress>): CampaignProgress => ({
  campaign_id: 1,
  title: 'Kiểm tra năm 2024',
  year: 2024,
  status: 'in_progress',
  visits_total: 6,
  visits_done: 4,
  findings: 6,
  actions_total: 4,
  actions_done: 2,
  actions_overdue: 1,
  ...over,
});

const dashboard: Dashboard = {
  as_of: '2026-11-30',
  period_from: null,
  period_to: null,
  admin_unit_id: null,
  products_by_stars: [
    { key: '3', label: '3 sao', count: 14 },
    { key: 'none', label: 'Chưa có hoặc không còn chứng nhận', count: 11 },
    { key: '4', label: '4 sao', count: 15 },
  ],
  products_by_group: [],
  products_by_unit: [],
  certificates: [
    { key: 'valid', label: 'Còn hiệu lực', count: 20 },
    { key: 'expired', label: 'Đã hết hiệu lực', count: 9 },
    { key: 'expiring', label: 'Sắp hết hiệu lực', count: 7 },
    { key: 'revoked', label: 'Bị thu hồi', count: 1 },
  ],
  expiry_calendar: [],
  campaigns: [],
  findings_by_category: [],
  findings_by_severity: [],
  findings_by_unit: [],
  findings_total: 6,
  actions_overdue: 1,
  compliance: [],
  trend: [],
};

/** A `t` that knows a few keys, like i18next returning the key when it has no text. */
const t = (key: string, options?: Record<string, unknown>) => {
  const texts: Record<string, string> = {
    'dashboard.starsLabel': `${String(options?.count)} stars`,
    'registry.certificateStatuses.none': 'No certificate',
    'registry.certificateStatuses.valid': 'Valid',
    'compliance.statuses.compliant': 'Compliant',
  };
  return texts[key] ?? key;
};

describe('dashboard filter', () => {
  it('reads the period and unit from the address, ignoring malformed values', () => {
    expect(filterFromParams(new URLSearchParams('tu=2024-01-01&den=2024-12-31&don-vi=10'))).toEqual({
      from: '2024-01-01',
      to: '2024-12-31',
      unitId: 10,
    });
    expect(filterFromParams(new URLSearchParams('tu=01/01/2024&den=2024-13-45&don-vi=abc'))).toEqual({
      from: '',
      to: '',
      unitId: null,
    });
    expect(filterFromParams(new URLSearchParams('don-vi=-3'))).toEqual({ from: '', to: '', unitId: null });
  });

  it('writes only the values set, and sends none of the empty ones to the API', () => {
    expect(filterToParams({ from: '2024-01-01', to: '', unitId: null })).toEqual({ tu: '2024-01-01' });
    expect(filterToParams({ from: '', to: '2024-06-30', unitId: 7 })).toEqual({ den: '2024-06-30', 'don-vi': '7' });
    expect(filterToQuery({ from: '', to: '', unitId: null })).toEqual({
      from: undefined,
      to: undefined,
      unit_id: undefined,
    });
    expect(filterToQuery({ from: '2024-01-01', to: '2024-06-30', unitId: 7 })).toEqual({
      from: '2024-01-01',
      to: '2024-06-30',
      unit_id: 7,
    });
  });

  it('notices a period that ends before it starts', () => {
    expect(periodReversed({ from: '2024-06-01', to: '2024-01-01', unitId: null })).toBe(true);
    expect(periodReversed({ from: '2024-01-01', to: '2024-01-01', unitId: null })).toBe(false);
    expect(periodReversed({ from: '2024-06-01', to: '', unitId: null })).toBe(false);
  });
});

describe('stat cards', () => {
  it('adds up the products and takes the certificate groups as the server counts them', () => {
    expect(stats(dashboard)).toEqual({ products: 40, valid: 20, expiring: 7, expired: 9, findings: 6, overdue: 1 });
  });

  it('counts missing groups as zero', () => {
    expect(stats({ ...dashboard, certificates: [], products_by_stars: [] })).toMatchObject({
      products: 0,
      valid: 0,
      expiring: 0,
      expired: 0,
    });
  });
});

describe('chart series', () => {
  it('orders products by stars, most stars first and "no certificate" last', () => {
    expect(starBars(dashboard.products_by_stars).map((b) => [b.key, b.value])).toEqual([
      ['4', 15],
      ['3', 14],
      ['none', 11],
    ]);
  });

  it('leaves empty slices out of a donut and colours known keys', () => {
    const rows = [...dashboard.certificates, { key: 'superseded', label: 'Đã được thay thế', count: 0 }];
    const s = slices(rows, CERTIFICATE_COLORS);
    expect(s.map((x) => x.key)).toEqual(['valid', 'expired', 'expiring', 'revoked']);
    expect(s[0]).toEqual({ key: 'valid', name: 'Còn hiệu lực', value: 20, color: CERTIFICATE_COLORS.valid });
  });

  it('gives unknown keys distinct spare colours and keeps zero bars', () => {
    const b = bars([
      { key: 'mark_use', label: 'Sử dụng nhãn hiệu, tem OCOP', count: 3 },
      { key: 'quality_management', label: 'Quản lý chất lượng', count: 0 },
    ]);
    expect(b.map((x) => x.value)).toEqual([3, 0]);
    expect(b[0].color).not.toEqual(b[1].color);
  });

  it('names the months of the expiry calendar in the interface language', () => {
    const calendar = [
      { month: '2027-01', count: 9 },
      { month: '2027-12', count: 0 },
    ];
    expect(monthBars(calendar, 'vi')).toEqual([
      { month: '2027-01', short: '01/2027', long: 'Tháng 1/2027', count: 9 },
      { month: '2027-12', short: '12/2027', long: 'Tháng 12/2027', count: 0 },
    ]);
    expect(monthBars(calendar, 'en').map((m) => [m.short, m.long])).toEqual([
      ['Jan 2027', 'January 2027'],
      ['Dec 2027', 'December 2027'],
    ]);
  });

  it('adds up the trend per plan year, oldest first', () => {
    const trend = yearTrend([
      campaign({ campaign_id: 3, year: 2025, findings: 2, actions_total: 1, actions_done: 1, actions_overdue: 0 }),
      campaign({ campaign_id: 1, year: 2024 }),
      campaign({ campaign_id: 2, year: 2024, findings: 1, actions_total: 2, actions_done: 0, actions_overdue: 2 }),
    ]);
    expect(trend).toEqual([
      { year: 2024, campaigns: 2, findings: 7, actions: 6, actionsDone: 2, actionsOverdue: 3 },
      { year: 2025, campaigns: 1, findings: 2, actions: 1, actionsDone: 1, actionsOverdue: 0 },
    ]);
  });

  it('shows a plan’s progress in whole per cent, 0 when there is nothing to do', () => {
    expect(progress(campaign({}))).toEqual({ visits: 67, actions: 50 });
    expect(progress(campaign({ visits_total: 0, visits_done: 0, actions_total: 0, actions_done: 0 }))).toEqual({
      visits: 0,
      actions: 0,
    });
    expect(percent(5, 4)).toBe(100);
  });

  it('knows when a chart has nothing to draw', () => {
    expect(hasData([])).toBe(false);
    expect(hasData([{ value: 0 }, { count: 0 }])).toBe(false);
    expect(hasData([{ value: 0 }, { count: 2 }])).toBe(true);
  });

  it('writes a text alternative with the figures', () => {
    expect(summary(starBars(dashboard.products_by_stars), 'vi-VN')).toBe(
      '4 sao: 15; 3 sao: 14; Chưa có hoặc không còn chứng nhận: 11',
    );
    expect(summary([{ name: 'Còn hiệu lực', value: 1200 }], 'vi-VN')).toBe('Còn hiệu lực: 1.200');
  });
});

describe('row labels', () => {
  const row = (key: string, label: string) => ({ key, label, count: 1 });

  it('keeps the server’s Vietnamese wording in Vietnamese', () => {
    expect(rowLabel(t, 'vi', 'certificates', row('valid', 'Còn hiệu lực'))).toBe('Còn hiệu lực');
    expect(rowLabel(t, 'vi', 'stars', row('4', '4 sao'))).toBe('4 sao');
  });

  it('translates known keys in English and falls back to the server’s label', () => {
    expect(rowLabel(t, 'en', 'certificates', row('valid', 'Còn hiệu lực'))).toBe('Valid');
    expect(rowLabel(t, 'en', 'compliance', row('compliant', 'Đạt'))).toBe('Compliant');
    expect(rowLabel(t, 'en', 'compliance', row('unknown', 'Khác'))).toBe('Khác');
    expect(rowLabel(t, 'en', 'stars', row('4', '4 sao'))).toBe('4 stars');
    expect(rowLabel(t, 'en', 'stars', row('none', 'Chưa có'))).toBe('No certificate');
    expect(rowLabel(t, 'en', undefined, row('mark_use', 'Sử dụng nhãn hiệu'))).toBe('Sử dụng nhãn hiệu');
  });
});
