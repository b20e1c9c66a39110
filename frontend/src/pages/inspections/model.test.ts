import { describe, expect, it } from 'vitest';
import vi from '../../i18n/vi.json';
import en from '../../i18n/en.json';
import { KNOWN_CODES } from '../../api/problem';
import {
  COMPLIANCE_STATUSES,
  ESCALATIONS,
  FINDING_STATUSES,
  VISIT_STATUSES,
  type Severity,
} from '../../api/types';
import {
  ACTION_COLORS,
  canRecordVisit,
  COMPLIANCE_COLORS,
  FINDING_COLORS,
  findingActions,
  fromLocalInput,
  isIsoDate,
  reasonText,
  SEVERITY_COLORS,
  timelineView,
  toLocalInput,
  VISIT_COLORS,
  visitActions,
} from './model';

/** The text of `key` in a resource file, or undefined. */
const text = (res: unknown, key: string) =>
  key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], res) as string | undefined;

describe('status labels', () => {
  it('names the compliance statuses as the province does', () => {
    expect(COMPLIANCE_STATUSES.map((s) => text(vi, `compliance.statuses.${s}`))).toEqual([
      'Tuân thủ',
      'Có điều kiện',
      'Không tuân thủ',
      'Hết hiệu lực',
      'Bị thu hồi',
      'Chưa chứng nhận',
    ]);
  });

  it('labels and colours every visit, finding, action and compliance status in both languages', () => {
    const groups: [string, readonly string[], Record<string, string>][] = [
      ['visit.statuses', VISIT_STATUSES, VISIT_COLORS],
      ['findings.statuses', FINDING_STATUSES, FINDING_COLORS],
      ['findings.actionStatuses', ['open', 'responded', 'accepted'], ACTION_COLORS],
      ['compliance.statuses', COMPLIANCE_STATUSES, COMPLIANCE_COLORS],
      ['campaigns.severities', ['observation', 'minor', 'major', 'critical'], SEVERITY_COLORS],
    ];
    for (const [group, values, colors] of groups) {
      for (const v of values) {
        expect(text(vi, `${group}.${v}`), `${group}.${v} (vi)`).toBeTruthy();
        expect(text(en, `${group}.${v}`), `${group}.${v} (en)`).toBeTruthy();
        expect(colors[v], `${group}.${v} colour`).toBeTruthy();
      }
    }
    for (const e of ESCALATIONS) expect(text(vi, `findings.escalations.${e}`)).toBeTruthy();
  });

  it('shows the sync states in Vietnamese', () => {
    expect(text(vi, 'visit.sync.local')).toBe('Đã lưu trên máy — chưa gửi');
    expect(text(vi, 'visit.sync.sending')).toBe('Đang gửi…');
    expect(text(vi, 'visit.sync.sent')).toBe('Đã gửi');
  });

  it('has a message for every API error code it knows, in both languages', () => {
    for (const code of KNOWN_CODES) {
      expect(text(vi, `errors.${code}`), code).toBeTruthy();
      expect(text(en, `errors.${code}`), code).toBeTruthy();
    }
  });
});

describe('visit workflow buttons', () => {
  const keys = (from: Parameters<typeof visitActions>[0], allowed: string[]) =>
    visitActions(from, allowed).map((a) => [a.key, a.note]);

  it('maps the allowed transitions to start, submit, approve, return, lock and reopen', () => {
    expect(keys('planned', ['in_progress'])).toEqual([['start', 'none']]);
    expect(keys('in_progress', ['submitted'])).toEqual([['submit', 'optional']]);
    expect(keys('submitted', ['in_progress', 'approved'])).toEqual([
      ['approve', 'optional'],
      ['return', 'required'],
    ]);
    expect(keys('approved', ['locked', 'in_progress'])).toEqual([
      ['lock', 'optional'],
      ['reopen', 'required'],
    ]);
    expect(keys('locked', ['in_progress'])).toEqual([['reopen', 'required']]);
  });

  it('shows nothing the API does not allow this caller', () => {
    expect(visitActions('submitted', [])).toEqual([]);
    expect(keys('approved', ['locked'])).toEqual([['lock', 'optional']]);
  });

  it('starts without asking, asks for everything else', () => {
    expect(visitActions('planned', ['in_progress'])[0]).toMatchObject({ confirm: false, variant: 'filled' });
    expect(visitActions('submitted', ['in_progress'])[0]).toMatchObject({ confirm: true, color: 'orange' });
  });

  it('shows and reads the actual times in Vietnam time', () => {
    expect(toLocalInput('2024-06-20T01:05:00Z')).toBe('2024-06-20T08:05');
    expect(toLocalInput(null)).toBe('');
    expect(fromLocalInput('2024-06-20T08:05')).toBe('2024-06-20T08:05:00+07:00');
    expect(fromLocalInput('')).toBeNull();
  });

  it('lets the team record while the visit is in progress and it may submit', () => {
    expect(canRecordVisit({ status: 'in_progress', allowed_transitions: ['submitted'] })).toBe(true);
    expect(canRecordVisit({ status: 'in_progress', allowed_transitions: [] })).toBe(false);
    expect(canRecordVisit({ status: 'submitted', allowed_transitions: ['approved'] })).toBe(false);
    expect(canRecordVisit(undefined)).toBe(false);
  });
});

describe('finding workflow buttons', () => {
  it('keeps a fixed order and asks for the reason where the API wants one', () => {
    const all = findingActions(['dismissed', 'escalated', 'closed', 'verified', 'action_required']);
    expect(all.map((a) => [a.to, a.note, a.escalation])).toEqual([
      ['action_required', 'required', false],
      ['verified', 'optional', false],
      ['closed', 'optional', false],
      ['escalated', 'required', true],
      ['dismissed', 'required', false],
    ]);
    expect(findingActions(['verified', 'action_required']).map((a) => a.key)).toEqual(['require', 'verify']);
    expect(findingActions([])).toEqual([]);
  });
});

describe('timeline entries', () => {
  it('says what happened, with the note or answer that came with it', () => {
    expect(timelineView({ action: 'finding.create', detail: { description: 'Không đạt: …' } })).toMatchObject({
      key: 'findings.timeline.created',
      text: 'Không đạt: …',
    });
    expect(timelineView({ action: 'finding.status', detail: { status: 'dismissed', note: 'Không thuộc phạm vi' } })).toEqual({
      key: 'findings.timeline.status',
      status: 'dismissed',
      text: 'Không thuộc phạm vi',
      color: 'gray',
    });
    expect(timelineView({ action: 'action.respond', detail: { response: 'Đã in lại nhãn.' } }).text).toBe('Đã in lại nhãn.');
    expect(timelineView({ action: 'action.verify', detail: { accepted: true, verification_comment: 'Đạt' } }).key).toBe(
      'findings.timeline.actionAccepted',
    );
    expect(timelineView({ action: 'action.verify', detail: { accepted: false, verification_comment: 'Ảnh mờ' } })).toMatchObject({
      key: 'findings.timeline.actionRejected',
      text: 'Ảnh mờ',
      color: 'red',
    });
    expect(timelineView({ action: 'evidence.upload', detail: null })).toMatchObject({ key: 'findings.timeline.other', text: null });
  });
});

describe('compliance', () => {
  it('puts the severity of a reason in the user language', () => {
    const label = (s: Severity) => ({ observation: 'lưu ý', minor: 'nhẹ', major: 'nặng', critical: 'nghiêm trọng' })[s];
    expect(reasonText({ detail: 'Phát hiện minor chưa khắc phục: Không đạt: Mã QR' }, label)).toBe(
      'Phát hiện nhẹ chưa khắc phục: Không đạt: Mã QR',
    );
    expect(reasonText({ detail: 'Giấy chứng nhận hết hiệu lực từ 01/01/2025.' }, label)).toBe(
      'Giấy chứng nhận hết hiệu lực từ 01/01/2025.',
    );
  });

  it('accepts only whole days for "Trạng thái tại ngày"', () => {
    expect(isIsoDate('2025-06-30')).toBe(true);
    expect(isIsoDate('2025-6-30')).toBe(false);
    expect(isIsoDate('')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });
});
