import { describe, expect, it } from 'vitest';
import vi from '../../i18n/vi.json';
import type { PlanWarning, Task } from '../../api/types';
import {
  figuresToForm,
  figureTotals,
  formToFigures,
  groupByDay,
  initialMonth,
  monthGrid,
  moveItem,
  noteRule,
  periodText,
  problemKey,
  removeAt,
  replaceAt,
  reportLate,
  shiftMonth,
  tasksByStatus,
  transitionActions,
  vnDate,
  vnIso,
  vnParts,
  vnToday,
  warningsByVisit,
} from './model';

/** A tiny `t` over the Vietnamese resources (interpolates {{name}}). */
function t(key: string, values: Record<string, unknown> = {}): string {
  const raw = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], vi);
  if (typeof raw !== 'string') return key;
  return raw.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
}

describe('campaign statuses and workflow buttons', () => {
  it('labels every status in Vietnamese', () => {
    expect(
      ['draft', 'submitted', 'issued', 'in_progress', 'reporting', 'closed', 'cancelled'].map((s) =>
        t(`campaigns.statuses.${s}`),
      ),
    ).toEqual(['Dự thảo', 'Đã trình', 'Đã ban hành', 'Đang thực hiện', 'Đang báo cáo', 'Đã kết thúc', 'Đã hủy']);
  });

  it('offers the transitions the API allows, forward moves first', () => {
    const draft = transitionActions('draft', ['cancelled', 'submitted']);
    expect(draft.map((a) => [a.to, t(a.labelKey)])).toEqual([
      ['submitted', 'Trình duyệt'],
      ['cancelled', 'Hủy kế hoạch'],
    ]);
    const submitted = transitionActions('submitted', ['draft', 'issued', 'cancelled']);
    expect(submitted.map((a) => t(a.labelKey))).toEqual(['Ban hành', 'Trả lại', 'Hủy kế hoạch']);
    expect(submitted.find((a) => a.to === 'issued')).toMatchObject({
      issue: true,
      note: 'optional',
      variant: 'filled',
    });
  });

  it('names the moves of a running plan, and resuming from reporting', () => {
    expect(transitionActions('issued', ['in_progress']).map((a) => t(a.labelKey))).toEqual(['Bắt đầu thực hiện']);
    expect(transitionActions('in_progress', ['reporting']).map((a) => t(a.labelKey))).toEqual(['Chuyển sang báo cáo']);
    const reporting = transitionActions('reporting', ['closed', 'in_progress']);
    expect(reporting.map((a) => t(a.labelKey))).toEqual(['Tiếp tục thực hiện', 'Kết thúc kế hoạch']);
    expect(reporting.find((a) => a.to === 'in_progress')?.variant).toBe('light');
  });

  it('shows nothing the caller may not do', () => {
    expect(transitionActions('submitted', [])).toEqual([]);
    expect(transitionActions('closed', ['something_new'])).toEqual([]);
  });

  it('requires a reason to return a plan or to cancel it after the draft', () => {
    expect(noteRule('submitted', 'draft')).toBe('required');
    expect(noteRule('issued', 'cancelled')).toBe('required');
    expect(noteRule('draft', 'cancelled')).toBe('optional');
    expect(noteRule('draft', 'submitted')).toBe('optional');
    expect(transitionActions('submitted', ['draft'])[0].note).toBe('required');
  });

  it('translates the readiness problems the API states in English', () => {
    expect(t(problemKey('The plan has no content areas (section II).')!)).toBe(
      'Kế hoạch chưa có nội dung kiểm tra (mục II).',
    );
    expect(t(problemKey('The plan has no planned period (section V).')!)).toBe(
      'Kế hoạch chưa có thời gian dự kiến (mục V).',
    );
    expect(t(problemKey('The team needs exactly one head (Trưởng đoàn).')!)).toBe(
      'Đoàn kiểm tra phải có đúng một Trưởng đoàn.',
    );
    expect(problemKey('The campaign has no checklist.')).toBe('campaigns.problems.checklist');
    expect(problemKey('Something else entirely')).toBeNull();
  });
});

describe('Vietnam time', () => {
  it('reads instants in UTC+7 whatever the offset they come with', () => {
    expect(vnParts('2024-05-14T01:00:00Z')).toEqual({ date: '2024-05-14', time: '08:00' });
    expect(vnParts('2024-05-14T18:30:00Z')).toEqual({ date: '2024-05-15', time: '01:30' });
    expect(vnParts('2024-05-14T08:00:00+07:00')).toEqual({ date: '2024-05-14', time: '08:00' });
  });

  it('writes times with the +07:00 offset', () => {
    expect(vnIso('2027-05-12', '08:00')).toBe('2027-05-12T08:00:00+07:00');
    expect(vnIso('2027-05-12', '14:30:00')).toBe('2027-05-12T14:30:00+07:00');
    expect(vnParts(vnIso('2027-05-12', '23:15'))).toEqual({ date: '2027-05-12', time: '23:15' });
  });

  it('formats dates as dd/mm/yyyy and knows today in Vietnam', () => {
    expect(vnDate('2024-03-15')).toBe('15/03/2024');
    expect(vnDate(null)).toBe('—');
    expect(vnToday(new Date('2024-12-31T18:00:00Z'))).toBe('2025-01-01');
  });

  it('describes the planned period', () => {
    expect(periodText(t, { kind: 'quarter', quarter: 2, year: 2024 })).toBe('Quý II/2024');
    expect(periodText(t, { kind: 'quarter', quarter: 4, year: 2026 })).toBe('Quý IV/2026');
    expect(periodText(t, { kind: 'dates', start: '2026-04-01', end: '2026-06-30' })).toBe(
      'Từ ngày 01/04/2026 đến ngày 30/06/2026',
    );
    expect(periodText(t, null)).toBe('');
  });
});

describe('schedule', () => {
  const v = (id: number, starts_at: string) => ({ id, starts_at });

  it('groups visits by their Vietnam day, in time order', () => {
    const groups = groupByDay([
      v(3, '2024-05-15T01:00:00Z'),
      v(2, '2024-05-14T07:00:00Z'),
      v(1, '2024-05-14T01:00:00Z'),
      v(4, '2024-05-14T18:00:00Z'), // 01:00 on the 15th in Vietnam
    ]);
    expect(groups.map((g) => [g.date, g.items.map((i) => i.id)])).toEqual([
      ['2024-05-14', [1, 2]],
      ['2024-05-15', [4, 3]],
    ]);
    expect(groupByDay([])).toEqual([]);
  });

  it('lays a month out in weeks starting on Monday', () => {
    const may = monthGrid({ year: 2024, month: 5 }); // 1 May 2024 is a Wednesday
    expect(may).toHaveLength(5);
    expect(may.every((w) => w.length === 7)).toBe(true);
    expect(may[0][0]).toEqual({ date: '2024-04-29', day: 29, inMonth: false });
    expect(may[0][2]).toEqual({ date: '2024-05-01', day: 1, inMonth: true });
    expect(may[4][6]).toEqual({ date: '2024-06-02', day: 2, inMonth: false });
    expect(may.flat().filter((d) => d.inMonth)).toHaveLength(31);
    // a month starting on Monday has no leading days; February 2021 fills exactly four weeks
    expect(monthGrid({ year: 2021, month: 2 })).toHaveLength(4);
    expect(monthGrid({ year: 2021, month: 2 })[0][0].date).toBe('2021-02-01');
  });

  it('moves between months across years', () => {
    expect(shiftMonth({ year: 2024, month: 12 }, 1)).toEqual({ year: 2025, month: 1 });
    expect(shiftMonth({ year: 2024, month: 1 }, -1)).toEqual({ year: 2023, month: 12 });
    expect(shiftMonth({ year: 2024, month: 5 }, 14)).toEqual({ year: 2025, month: 7 });
  });

  it('opens the calendar on the first visit, else the period, else today', () => {
    expect(
      initialMonth([v(1, '2024-05-21T01:00:00Z'), v(2, '2024-05-14T01:00:00Z')], '2024-04-01', '2026-11-29'),
    ).toEqual({
      year: 2024,
      month: 5,
    });
    expect(initialMonth([], '2026-04-01', '2026-11-29')).toEqual({ year: 2026, month: 4 });
    expect(initialMonth([], null, '2026-11-29')).toEqual({ year: 2026, month: 11 });
  });

  it('puts each warning next to the visits it concerns', () => {
    const clash = { code: 'double_booking', message: 'trùng giờ', visit_ids: [1, 2] } as PlanWarning;
    const twice = { code: 'producer_visited_twice', message: 'hai lần', visit_ids: [2, 3] } as PlanWarning;
    const team = { code: 'no_head', message: 'chưa có trưởng đoàn', visit_ids: [] } as unknown as PlanWarning;
    const map = warningsByVisit([clash, twice, team]);
    expect(map.get(1)).toEqual([clash]);
    expect(map.get(2)).toEqual([clash, twice]);
    expect(map.get(3)).toEqual([twice]);
    expect(map.has(4)).toBe(false);
  });
});

describe('list editing', () => {
  it('moves, removes and replaces lines without touching the original', () => {
    const list = ['a', 'b', 'c'];
    expect(moveItem(list, 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(list, 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(list, 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(list, 2, 1)).toEqual(['a', 'b', 'c']);
    expect(removeAt(list, 1)).toEqual(['a', 'c']);
    expect(replaceAt(list, 1, 'x')).toEqual(['a', 'x', 'c']);
    expect(list).toEqual(['a', 'b', 'c']);
  });
});

describe('tasks', () => {
  it('sorts tasks into the board columns, keeping their order', () => {
    const task = (id: number, status: Task['status']) => ({ id, status }) as Task;
    const board = tasksByStatus([task(1, 'open'), task(2, 'done'), task(3, 'open'), task(4, 'cancelled')]);
    expect(board.open.map((x) => x.id)).toEqual([1, 3]);
    expect(board.in_progress).toEqual([]);
    expect(board.done.map((x) => x.id)).toEqual([2]);
    expect(board.cancelled.map((x) => x.id)).toEqual([4]);
    expect(['open', 'in_progress', 'done', 'cancelled'].map((s) => t(`campaigns.taskStatuses.${s}`))).toEqual([
      'Chưa làm',
      'Đang làm',
      'Đã xong',
      'Đã hủy',
    ]);
  });
});

describe('local report figures', () => {
  it('reads the figures into a form with blanks for what is missing', () => {
    const form = figuresToForm({
      products_by_stars: { '3': 6, '4': 5 },
      producers_by_kind: { cooperative: 6, household_business: 3 },
      new_applicants: 2,
      expired_certificates: null,
    });
    expect(form.stars).toEqual({ '3': 6, '4': 5, '5': '' });
    expect(form.kinds).toEqual({ enterprise: '', cooperative: 6, cooperative_group: '', household_business: 3 });
    expect(form.other).toEqual({ new_applicants: 2, expired_certificates: '', jobs: '', revenue_million_vnd: '' });
    expect(figureTotals(form)).toEqual({ products: 11, producers: 9 });
    expect(figuresToForm(null).stars).toEqual({ '3': '', '4': '', '5': '' });
  });

  it('writes only the figures given (a zero is a figure, a blank is not)', () => {
    const form = figuresToForm({});
    form.stars['3'] = 4;
    form.stars['5'] = 0;
    form.kinds.enterprise = 1;
    form.other.revenue_million_vnd = 1250.5;
    expect(formToFigures(form)).toEqual({
      products_by_stars: { '3': 4, '5': 0 },
      producers_by_kind: { enterprise: 1 },
      new_applicants: null,
      expired_certificates: null,
      jobs: null,
      revenue_million_vnd: 1250.5,
    });
  });

  it('labels report states and lateness', () => {
    expect(t('campaigns.reportStatuses.submitted')).toBe('Đã gửi');
    expect(t('campaigns.reports.late')).toBe('Trễ hạn');
    expect(reportLate({ late: true }, '2024-05-08', '2024-05-01')).toBe(true);
    expect(reportLate({ late: false }, '2024-05-08', '2026-01-01')).toBe(false);
    expect(reportLate(null, '2024-05-08', '2024-05-09')).toBe(true);
    expect(reportLate(null, '2024-05-08', '2024-05-08')).toBe(false);
    expect(reportLate(null, null, '2024-05-09')).toBe(false);
  });
});
