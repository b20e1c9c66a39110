import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/problem';
import vi from '../../i18n/vi.json';
import en from '../../i18n/en.json';
import {
  defaultPreviewCampaign,
  DOCUMENT_KINDS,
  fallbackFilename,
  fileSize,
  fileUrl,
  groupDocuments,
  isApiPath,
  isDocx,
  isIssuable,
  isPdfUnavailable,
  issuedLabel,
  issueRequest,
  issueServerErrors,
  KIND_CODES,
  mayIssueDocuments,
  previewFields,
  previewProblem,
  registerNumber,
  versionFilename,
  versionFileUrl,
  versionsOf,
  type DocumentInfo,
  type IssuedVersion,
  type PreviewRequest,
} from './model';

const doc = (over: Partial<DocumentInfo>): DocumentInfo => ({
  kind: 'plan',
  title: 'Kế hoạch kiểm tra',
  path: '/api/v1/campaigns/1/documents/plan',
  unit_id: null,
  visit_id: null,
  frozen_at: null,
  ...over,
});

const text = (res: unknown, key: string) =>
  key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], res) as string | undefined;

describe('fileUrl', () => {
  it('appends the extension to a plain path', () => {
    expect(fileUrl('/api/v1/campaigns/1/documents/plan', 'docx')).toBe('/api/v1/campaigns/1/documents/plan.docx');
    expect(fileUrl('/api/v1/visits/3/documents/minutes', 'pdf')).toBe('/api/v1/visits/3/documents/minutes.pdf');
  });

  it('puts the extension before the query string', () => {
    expect(fileUrl('/api/v1/campaigns/1/documents/notice?unit_id=10', 'docx')).toBe(
      '/api/v1/campaigns/1/documents/notice.docx?unit_id=10',
    );
    expect(fileUrl('/api/v1/campaigns/1/documents/notice?unit_id=10&x=1', 'pdf')).toBe(
      '/api/v1/campaigns/1/documents/notice.pdf?unit_id=10&x=1',
    );
    expect(fileUrl('/a/b#part', 'docx')).toBe('/a/b.docx#part');
  });
});

describe('documents', () => {
  it('accepts only this API’s own paths', () => {
    expect(isApiPath('/api/v1/campaigns/1/documents/plan')).toBe(true);
    expect(isApiPath('https://example.com/api/v1/x')).toBe(false);
    expect(isApiPath('//example.com/api/')).toBe(false);
    expect(isApiPath('/api/v1/../../etc')).toBe(false);
  });

  it('names files by kind, unit and visit when the server gives no name', () => {
    expect(fallbackFilename(doc({}), 'docx')).toBe('ke-hoach.docx');
    expect(fallbackFilename(doc({ kind: 'notice', unit_id: 10 }), 'pdf')).toBe('thong-bao-10.pdf');
    expect(fallbackFilename(doc({ kind: 'minutes', visit_id: 3 }), 'docx')).toBe('bien-ban-3.docx');
  });

  it('groups documents by kind in the order of the work, keeping the server’s order inside a kind', () => {
    const items = [
      doc({ kind: 'minutes', visit_id: 1, path: 'm1' }),
      doc({ kind: 'report', path: 'r' }),
      doc({ kind: 'notice', path: 'n-all' }),
      doc({ kind: 'plan', path: 'p' }),
      doc({ kind: 'notice', unit_id: 10, path: 'n-10' }),
      doc({ kind: 'minutes', visit_id: 2, path: 'm2' }),
    ];
    expect(groupDocuments(items).map((g) => [g.kind, g.items.map((i) => i.path)])).toEqual([
      ['plan', ['p']],
      ['notice', ['n-all', 'n-10']],
      ['minutes', ['m1', 'm2']],
      ['report', ['r']],
    ]);
    expect(groupDocuments([doc({})]).map((g) => g.kind)).toEqual(['plan']);
  });

  it('recognises the server’s "no PDF here" answer', () => {
    expect(isPdfUnavailable(new ApiError(409, { status: 409, code: 'pdf_unavailable', detail: 'x' }))).toBe(true);
    expect(isPdfUnavailable(new ApiError(409, { status: 409, code: 'no_visits' }))).toBe(false);
    expect(isPdfUnavailable(new Error('x'))).toBe(false);
  });

  it('names every kind with its Decree 30 abbreviation in both languages', () => {
    expect(DOCUMENT_KINDS.map((k) => KIND_CODES[k])).toEqual(['KH', 'QĐ', 'TB', 'BB', 'BC', 'TB']);
    expect(DOCUMENT_KINDS.map((k) => text(vi, `documents.kinds.${k}`))).toEqual([
      'Kế hoạch',
      'Quyết định thành lập Đoàn kiểm tra',
      'Thông báo',
      'Biên bản',
      'Báo cáo',
      'Thông báo kết luận kiểm tra',
    ]);
    expect(text(vi, 'documents.groups.decision')).toBe('Quyết định thành lập Đoàn kiểm tra');
    expect(text(vi, 'documents.groups.conclusion')).toBe('Thông báo kết luận kiểm tra');
    for (const k of DOCUMENT_KINDS) {
      for (const group of ['kinds', 'groups']) {
        expect(text(en, `documents.${group}.${k}`), k).toBeTruthy();
        expect(text(vi, `documents.${group}.${k}`), k).toBeTruthy();
      }
      expect(text(vi, `templates.kinds.${k}`), k).toBeTruthy();
      expect(text(en, `templates.kinds.${k}`), k).toBeTruthy();
    }
  });

  it('puts the decision after the plan and the conclusions last; a kind it does not know yet comes at the end', () => {
    const items = [
      doc({ kind: 'conclusion', producer_id: 4, path: 'c-p4' }),
      doc({ kind: 'report', path: 'r' }),
      doc({ kind: 'conclusion', unit_id: 10, path: 'c-u10' }),
      doc({ kind: 'decision', path: 'd' }),
      doc({ kind: 'future' as DocumentInfo['kind'], path: 'f' }),
      doc({ kind: 'plan', path: 'p' }),
    ];
    expect(groupDocuments(items).map((g) => [g.kind, g.items.map((i) => i.path)])).toEqual([
      ['plan', ['p']],
      ['decision', ['d']],
      ['report', ['r']],
      ['conclusion', ['c-p4', 'c-u10']],
      ['future', ['f']],
    ]);
  });
});

describe('template preview', () => {
  const base: PreviewRequest = { kind: 'plan', campaignId: 1, visitId: null, unitId: null, source: { type: 'active' } };

  it('starts with the newest plan that is issued (a draft may have no schedule yet)', () => {
    const plans = [
      { id: 2, status: 'draft' },
      { id: 1, status: 'in_progress' },
      { id: 0, status: 'closed' },
    ];
    expect(defaultPreviewCampaign(plans)).toBe(1);
    expect(defaultPreviewCampaign([{ id: 5, status: 'draft' }])).toBe(5);
    expect(defaultPreviewCampaign([])).toBeNull();
  });

  it('needs a campaign, and a visit for minutes', () => {
    expect(previewProblem(base)).toBeNull();
    expect(previewProblem({ ...base, campaignId: null })).toBe('templates.preview.needCampaign');
    expect(previewProblem({ ...base, kind: 'minutes' })).toBe('templates.preview.needVisit');
    expect(previewProblem({ ...base, kind: 'minutes', visitId: 4 })).toBeNull();
    expect(previewProblem({ ...base, kind: 'conclusion' })).toBe('templates.preview.needUnit');
    expect(previewProblem({ ...base, kind: 'conclusion', unitId: 10 })).toBeNull();
  });

  it('sends the visit only for minutes, the unit only for notices, and the chosen template', () => {
    expect(previewFields(base)).toEqual([
      ['kind', 'plan'],
      ['campaign_id', '1'],
    ]);
    expect(previewFields({ ...base, visitId: 4, unitId: 10, source: { type: 'version', id: 7 } })).toEqual([
      ['kind', 'plan'],
      ['campaign_id', '1'],
      ['template_id', '7'],
    ]);
    expect(previewFields({ ...base, kind: 'minutes', visitId: 4, unitId: 10 })).toEqual([
      ['kind', 'minutes'],
      ['campaign_id', '1'],
      ['visit_id', '4'],
    ]);
    expect(previewFields({ ...base, kind: 'notice', unitId: 10 })).toEqual([
      ['kind', 'notice'],
      ['campaign_id', '1'],
      ['unit_id', '10'],
    ]);
    expect(previewFields({ ...base, kind: 'conclusion', unitId: 10 })).toEqual([
      ['kind', 'conclusion'],
      ['campaign_id', '1'],
      ['unit_id', '10'],
    ]);
    const file = { name: 'mau.docx' } as File;
    expect(previewFields({ ...base, source: { type: 'file', file } }).at(-1)).toEqual(['file', file]);
  });

  it('takes Word documents only, and shows sizes for people', () => {
    expect(isDocx({ name: 'Mau KH.DOCX' })).toBe(true);
    expect(isDocx({ name: 'mau.doc' })).toBe(false);
    expect(fileSize(800, 'vi-VN')).toBe('800 B');
    expect(fileSize(40_140, 'vi-VN')).toBe('39,2 KB');
    expect(fileSize(3 * 1024 * 1024, 'en-GB')).toBe('3 MB');
  });
});

describe('issuing with the register’s number', () => {
  const version = (over: Partial<IssuedVersion>): IssuedVersion => ({
    id: 1,
    kind: 'notice',
    unit_id: 10,
    unit_name: 'Huyện Chi Lăng',
    producer_id: null,
    producer_name: null,
    version: 1,
    number: '07/TB-SNN',
    date: '2024-03-10',
    issued_at: '2024-03-10T08:00:00Z',
    issued_by: 2,
    issued_by_name: 'Điều phối viên',
    sha256: 'abc',
    size: 100,
    note: null,
    path: '/api/v1/campaigns/1/documents/notice.docx?unit_id=10&version=1',
    ...over,
  });

  it('lets only those who run campaigns issue', () => {
    expect(mayIssueDocuments(['coordinator'])).toBe(true);
    expect(mayIssueDocuments(['leader'])).toBe(true);
    expect(mayIssueDocuments(['inspector', 'admin'])).toBe(true);
    expect(mayIssueDocuments(['inspector'])).toBe(false);
    expect(mayIssueDocuments(['local_officer', 'producer'])).toBe(false);
    expect(mayIssueDocuments(null)).toBe(false);
  });

  it('issues the decision, the report, a unit’s notice and a unit’s or a producer’s conclusion, nothing else', () => {
    expect(isIssuable(doc({ kind: 'decision' }))).toBe(true);
    expect(isIssuable(doc({ kind: 'report' }))).toBe(true);
    expect(isIssuable(doc({ kind: 'notice', unit_id: 10 }))).toBe(true);
    expect(isIssuable(doc({ kind: 'conclusion', unit_id: 10 }))).toBe(true);
    expect(isIssuable(doc({ kind: 'conclusion', producer_id: 4 }))).toBe(true);
    // the plan has its workflow; minutes freeze on approval; the file of every unit's notice is not one document
    expect(isIssuable(doc({ kind: 'plan' }))).toBe(false);
    expect(isIssuable(doc({ kind: 'minutes', visit_id: 3 }))).toBe(false);
    expect(isIssuable(doc({ kind: 'notice' }))).toBe(false);
    expect(isIssuable(doc({ kind: 'conclusion' }))).toBe(false);
    expect(isIssuable(doc({ kind: 'conclusion', unit_id: 10, producer_id: 4 }))).toBe(false);
    expect(isIssuable(doc({ kind: 'report', unit_id: 10 }))).toBe(false);
  });

  it('finds a document’s versions by kind and scope, newest first', () => {
    const issued = [
      version({ id: 1, version: 1 }),
      version({ id: 2, unit_id: 11, version: 1 }),
      version({ id: 3, version: 2, number: '08/TB-SNN' }),
      version({ id: 4, kind: 'conclusion', unit_id: 10, version: 1 }),
      version({ id: 5, kind: 'conclusion', unit_id: null, producer_id: 4, version: 1 }),
    ];
    expect(versionsOf(doc({ kind: 'notice', unit_id: 10 }), issued).map((v) => v.id)).toEqual([3, 1]);
    expect(versionsOf(doc({ kind: 'conclusion', unit_id: 10 }), issued).map((v) => v.id)).toEqual([4]);
    expect(versionsOf(doc({ kind: 'conclusion', producer_id: 4 }), issued).map((v) => v.id)).toEqual([5]);
    expect(versionsOf(doc({ kind: 'notice' }), issued)).toEqual([]);
    expect(versionsOf(doc({ kind: 'report' }), undefined)).toEqual([]);
  });

  it('labels an issued version "Số 05/TB-SNN ngày 10/03/2024, bản 2" (the version from the second on)', () => {
    const fill = (m: ReturnType<typeof issuedLabel>) =>
      Object.entries(m.values ?? {}).reduce((s, [k, v]) => s.replace(`{{${k}}}`, String(v)), text(vi, m.key) ?? '');
    expect(fill(issuedLabel(version({ number: '05/TB-SNN', version: 2 })))).toBe('Số 05/TB-SNN ngày 10/03/2024, bản 2');
    expect(fill(issuedLabel(version({})))).toBe('Số 07/TB-SNN ngày 10/03/2024');
  });

  it('downloads a version from its own path, as Word or PDF', () => {
    const v = version({});
    expect(versionFileUrl(v.path, 'docx')).toBe('/api/v1/campaigns/1/documents/notice.docx?unit_id=10&version=1');
    expect(versionFileUrl(v.path, 'pdf')).toBe('/api/v1/campaigns/1/documents/notice.pdf?unit_id=10&version=1');
    expect(versionFilename(version({ version: 2, number: '05/QĐ-SNN', kind: 'decision' }), 'pdf')).toBe(
      'quyet-dinh-05-qd-snn-lan-2.pdf',
    );
  });

  it('writes the register’s number as the server keeps it', () => {
    expect(registerNumber('7/tb-snn')).toBe('07/TB-SNN');
    expect(registerNumber(' 005 / qđ-snn ')).toBe('05/QĐ-SNN');
    expect(registerNumber('123/BC-SNNMT-PTNT')).toBe('123/BC-SNNMT-PTNT');
    expect(registerNumber('0/TB-SNN')).toBeNull();
    expect(registerNumber('TB-SNN')).toBeNull();
    expect(registerNumber('7/TB')).toBeNull();
  });

  it('asks the number with the kind’s code, the date, and a reason only for a correction', () => {
    const notice = doc({ kind: 'notice', unit_id: 10 });
    expect(issueRequest(notice, { number: '7/tb-snn', date: '2024-03-10', reason: '' }, false)).toEqual({
      ok: true,
      body: { number: '7/tb-snn', date: '2024-03-10', note: null, unit_id: 10 },
    });
    // a correction: the reason is required (and sent)
    const bad = issueRequest(notice, { number: '07/TB-SNN', date: '2024-03-11', reason: ' x ' }, true);
    expect(bad).toEqual({ ok: false, errors: { reason: { key: 'documents.issue.reasonRequired' } } });
    expect(issueRequest(notice, { number: '07/TB-SNN', date: '2024-03-11', reason: ' Sửa giờ làm việc ' }, true)).toEqual({
      ok: true,
      body: { number: '07/TB-SNN', date: '2024-03-11', note: 'Sửa giờ làm việc', unit_id: 10 },
    });
    // the number as in the register, with this kind's code
    expect(issueRequest(notice, { number: '', date: '', reason: '' }, false)).toEqual({
      ok: false,
      errors: { number: { key: 'documents.issue.numberRequired' }, date: { key: 'documents.issue.dateRequired' } },
    });
    expect(issueRequest(notice, { number: 'số 7', date: '2024-03-10', reason: '' }, false)).toEqual({
      ok: false,
      errors: { number: { key: 'documents.issue.numberFormat', values: { code: 'TB' } } },
    });
    expect(issueRequest(doc({ kind: 'decision' }), { number: '05/TB-SNN', date: '2024-03-10', reason: '' }, false)).toEqual({
      ok: false,
      errors: { number: { key: 'documents.issue.numberCode', values: { code: 'QĐ' } } },
    });
    // a producer's conclusion names the producer; the report names no unit
    expect(issueRequest(doc({ kind: 'conclusion', producer_id: 4 }), { number: '9/tb-snn', date: '2024-06-01', reason: '' }, false)).toEqual({
      ok: true,
      body: { number: '9/tb-snn', date: '2024-06-01', note: null, producer_id: 4 },
    });
    expect(issueRequest(doc({ kind: 'report' }), { number: '9/BC-SNN', date: '2024-06-01', reason: '' }, false)).toEqual({
      ok: true,
      body: { number: '9/BC-SNN', date: '2024-06-01', note: null },
    });
  });

  it('puts the server’s 422 beside the fields in the app’s words, never its English text', () => {
    const err = new ApiError(422, {
      status: 422,
      code: 'validation_error',
      errors: [
        { loc: ['body', 'number'], msg: 'Value error, Write the number as in the register' },
        { loc: ['body', 'note'], msg: 'Version 1 (07/TB-SNN) is issued already' },
      ],
    });
    expect(issueServerErrors(err, doc({ kind: 'notice', unit_id: 10 }))).toEqual({
      number: { key: 'documents.issue.numberFormat', values: { code: 'TB' } },
      reason: { key: 'documents.issue.reasonRequired' },
    });
    expect(issueServerErrors(new ApiError(409, { status: 409, code: 'document_number_taken' }), doc({}))).toEqual({});
  });

  it('has every text of the issue dialog in Vietnamese and English', () => {
    const keys = Object.keys((vi as { documents: { issue: Record<string, string> } }).documents.issue);
    expect(keys.length).toBeGreaterThan(10);
    for (const k of keys) expect(text(en, `documents.issue.${k}`), k).toBeTruthy();
    expect(text(vi, 'documents.issue.action')).toBe('Phát hành');
    expect(text(vi, 'documents.issue.reason')).toBe('Lý do phát hành lại');
    expect(text(vi, 'documents.draft')).toBe('Dự thảo');
  });
});
