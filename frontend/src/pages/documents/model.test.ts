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
  isPdfUnavailable,
  KIND_CODES,
  previewFields,
  previewProblem,
  type DocumentInfo,
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
    expect(DOCUMENT_KINDS.map((k) => KIND_CODES[k])).toEqual(['KH', 'TB', 'BB', 'BC']);
    expect(DOCUMENT_KINDS.map((k) => text(vi, `documents.kinds.${k}`))).toEqual([
      'Kế hoạch',
      'Thông báo',
      'Biên bản',
      'Báo cáo',
    ]);
    for (const k of DOCUMENT_KINDS) expect(text(en, `documents.kinds.${k}`), k).toBeTruthy();
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
