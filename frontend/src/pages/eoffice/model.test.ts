import { describe, expect, it } from 'vitest';
import { ApiError, describeError } from '../../api/problem';
import vi from '../../i18n/vi.json';
import en from '../../i18n/en.json';
import {
  attachmentName,
  canReadEoffice,
  canRouteEoffice,
  documentNumber,
  EMPTY_ROUTE_FORM,
  headerFields,
  KINDS,
  listQuery,
  parseView,
  replacedCode,
  routeRequest,
  routingActions,
  senderAgency,
  STATES,
  switchDirection,
  typeCodes,
  viewParams,
  waitingReason,
  type EofficeItem,
  type RouteAction,
} from './model';

const text = (res: unknown, key: string) =>
  key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], res) as string | undefined;

const item = (over: Partial<EofficeItem> = {}): EofficeItem => ({
  id: 1,
  direction: 'in',
  state: 'waiting',
  kind: 'plan',
  doc_type: '1',
  type_detail: '0',
  type_name: 'Kế hoạch',
  document_id: '000.00.00.K99,2026,1',
  number: '112/KH-UBND',
  subject: 'Kế hoạch kiểm tra, giám sát sản phẩm OCOP năm 2026',
  sender_code: '000.00.00.K99',
  sender_name: 'UBND tỉnh Lạng Sơn',
  response_for: null,
  campaign_id: null,
  reason: 'No agency here has the e-office code 000.00.00.K99.',
  received_at: '2026-03-02T08:15:30+07:00',
  ...over,
});

const ROLES = ['admin', 'coordinator', 'leader', 'inspector', 'viewer', 'local_officer', 'producer'];

describe('who reads and who routes', () => {
  it('opens the inbox to coordinators, leaders and administrators only', () => {
    expect(ROLES.filter((r) => canReadEoffice([r]))).toEqual(['admin', 'coordinator', 'leader']);
    expect(canReadEoffice(undefined)).toBe(false);
    expect(canReadEoffice(['inspector', 'leader'])).toBe(true);
  });

  it('lets coordinators and administrators route; the leader only reads', () => {
    expect(ROLES.filter((r) => canRouteEoffice([r]))).toEqual(['admin', 'coordinator']);
    expect(canRouteEoffice(null)).toBe(false);
  });
});

describe('the list view in the address', () => {
  const p = (q: string) => new URLSearchParams(q);

  it('opens the inbox on the waiting packages for those who route them, on everything for a leader', () => {
    expect(parseView(p(''), true)).toEqual({ direction: 'in', state: 'waiting', kind: null });
    expect(parseView(p(''), false)).toEqual({ direction: 'in', state: null, kind: null });
  });

  it('reads the outbox, a state, every state and a kind; ignores what it does not know', () => {
    expect(parseView(p('huong=di'), true)).toEqual({ direction: 'out', state: null, kind: null });
    expect(parseView(p('trang-thai=dismissed&loai=official_letter'), true)).toEqual({
      direction: 'in',
      state: 'dismissed',
      kind: 'official_letter',
    });
    expect(parseView(p('trang-thai=tat-ca'), true).state).toBeNull();
    // "sent" is not a state of the inbox, "waiting" not one of the outbox
    expect(parseView(p('trang-thai=sent'), true).state).toBe('waiting');
    expect(parseView(p('huong=di&trang-thai=waiting'), true).state).toBeNull();
    expect(parseView(p('huong=x&loai=<script>'), false)).toEqual({ direction: 'in', state: null, kind: null });
  });

  it('writes only what differs from the defaults, and reads back what it wrote', () => {
    expect(viewParams({ direction: 'in', state: 'waiting', kind: null }, true)).toEqual({
      huong: null,
      'trang-thai': null,
      loai: null,
    });
    expect(viewParams({ direction: 'in', state: null, kind: 'plan' }, true)).toEqual({
      huong: null,
      'trang-thai': 'tat-ca',
      loai: 'plan',
    });
    expect(viewParams({ direction: 'out', state: 'sent', kind: null }, true)).toEqual({
      huong: 'di',
      'trang-thai': 'sent',
      loai: null,
    });
    for (const canRoute of [true, false]) {
      for (const view of [
        { direction: 'in' as const, state: null, kind: null },
        { direction: 'in' as const, state: 'waiting' as const, kind: 'decision' as const },
        { direction: 'in' as const, state: 'routed' as const, kind: null },
        { direction: 'out' as const, state: 'sent' as const, kind: 'plan' as const },
        { direction: 'out' as const, state: null, kind: null },
      ]) {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(viewParams(view, canRoute))) if (v != null) params.set(k, v);
        expect(parseView(params, canRoute)).toEqual(view);
      }
    }
  });

  it('switches box on its default state and keeps the kind', () => {
    expect(switchDirection({ direction: 'in', state: 'waiting', kind: 'plan' }, 'out', true)).toEqual({
      direction: 'out',
      state: null,
      kind: 'plan',
    });
    expect(switchDirection({ direction: 'out', state: 'sent', kind: null }, 'in', true).state).toBe('waiting');
  });

  it('asks the API for the direction and only the filters set', () => {
    expect(listQuery({ direction: 'in', state: 'waiting', kind: null })).toEqual({
      direction: 'in',
      state: 'waiting',
      kind: undefined,
    });
    expect(listQuery({ direction: 'out', state: null, kind: 'notice' })).toEqual({
      direction: 'out',
      state: undefined,
      kind: 'notice',
    });
  });

  it('lists "waiting" first in the inbox and only "sent" in the outbox', () => {
    expect(STATES.in[0]).toBe('waiting');
    expect(STATES.out).toEqual(['sent']);
  });
});

describe('a package’s header', () => {
  const header = {
    sender_name: 'UBND tỉnh Lạng Sơn',
    receivers: [{ organ_id: '000.00.00.G22', name: 'Sở Nông nghiệp và Môi trường' }, { organ_id: '', name: '' }, 'x'],
    code_number: '112',
    code_notation: 'KH-UBND',
    place: 'Lạng Sơn',
    promulgation_date: '2026-03-02',
    type: '1',
    type_detail: '0',
    type_name: 'Kế hoạch',
    content: 'Thực hiện Chương trình mỗi xã một sản phẩm…',
    signer_competence: 'TM.',
    signer_position: 'Chủ tịch',
    signer_name: 'Hồ Tiến Thiệu',
    to_places: ['Sở Nông nghiệp và Môi trường', '', 'Lưu: VT'],
    response_for_code: null,
    signed: true,
  };

  it('reads the fields the server keeps', () => {
    expect(headerFields(header)).toEqual({
      codeNumber: '112',
      codeNotation: 'KH-UBND',
      place: 'Lạng Sơn',
      promulgationDate: '2026-03-02',
      type: '1',
      typeDetail: '0',
      typeName: 'Kế hoạch',
      content: 'Thực hiện Chương trình mỗi xã một sản phẩm…',
      signer: 'TM. Chủ tịch Hồ Tiến Thiệu',
      receivers: [{ code: '000.00.00.G22', name: 'Sở Nông nghiệp và Môi trường' }],
      toPlaces: ['Sở Nông nghiệp và Môi trường', 'Lưu: VT'],
      signed: true,
    });
  });

  it('survives a header that is missing or malformed', () => {
    const empty = headerFields(null);
    expect(empty.signer).toBeNull();
    expect(empty.receivers).toEqual([]);
    expect(empty.signed).toBe(false);
    expect(headerFields({ code_number: 7, receivers: 'x', to_places: null, signed: 'yes' })).toMatchObject({
      codeNumber: null,
      receivers: [],
      toPlaces: [],
      signed: false,
    });
  });

  it('writes the number as on the document, from the header or else the record', () => {
    expect(documentNumber(item(), headerFields(header))).toBe('112/KH-UBND');
    expect(documentNumber(item({ number: '5/TB-SCT' }))).toBe('5/TB-SCT');
    expect(documentNumber(item({ number: null }), headerFields({ code_notation: 'UBND-KT' }))).toBe('UBND-KT');
    expect(documentNumber(item({ number: '  ' }))).toBeNull();
  });

  it('shows the national type codes, not the placeholder for a missing one', () => {
    expect(typeCodes(item())).toBe('1 / 0');
    expect(typeCodes(item({ doc_type: '18', type_detail: null }))).toBe('18');
    expect(typeCodes(item({ doc_type: '?', type_detail: null }))).toBe('');
  });

  it('names an attachment that came without a name', () => {
    expect(attachmentName({ n: 0, name: 'KH-112-UBND.docx' })).toBe('KH-112-UBND.docx');
    expect(attachmentName({ n: 2, name: ' ' })).toBe('tep-dinh-kem-2');
  });
});

describe('the sender and why a package waits', () => {
  const agencies = [
    { id: 1, name: 'Ủy ban nhân dân tỉnh Lạng Sơn', code: 'UBND-T', eoffice_code: '000.00.00.H36' },
    { id: 2, name: 'Văn phòng Sở Nông nghiệp và Môi trường', code: 'SNNMT-VP', eoffice_code: null },
  ];

  it('finds the agency carrying the sender’s code; unknown while the agencies load', () => {
    expect(senderAgency(agencies, '000.00.00.H36')?.id).toBe(1);
    expect(senderAgency(agencies, '000.00.00.K99')).toBeNull();
    expect(senderAgency(undefined, '000.00.00.H36')).toBeUndefined();
  });

  it('says in the app’s words why a package waits', () => {
    expect(waitingReason(item(), null)).toEqual({
      key: 'eoffice.why.unknownSender',
      values: { code: '000.00.00.K99' },
    });
    expect(waitingReason(item(), agencies[1])).toEqual({
      key: 'eoffice.why.senderMapped',
      values: { agency: 'Văn phòng Sở Nông nghiệp và Môi trường' },
    });
    expect(waitingReason(item(), undefined)).toEqual({ key: 'eoffice.why.plan' });
    expect(waitingReason(item({ kind: 'official_letter', type_name: 'Công văn' }), agencies[0])).toEqual({
      key: 'eoffice.why.otherKind',
      values: { type: 'Công văn' },
    });
    expect(waitingReason(item({ kind: 'other', type_name: null, doc_type: '18' }), null)?.values).toEqual({
      type: '18',
    });
    expect(waitingReason(item({ kind: 'official_letter', response_for: 'nothing-we-sent,1' }), agencies[0])).toEqual({
      key: 'eoffice.why.strayAnswer',
      values: { id: 'nothing-we-sent,1' },
    });
  });

  it('gives no reason for a package that does not wait', () => {
    for (const state of ['taken', 'routed', 'dismissed', 'sent']) {
      expect(waitingReason(item({ state }), null)).toBeNull();
    }
  });

  it('warns before a mapping replaces the agency’s own code', () => {
    expect(replacedCode(agencies[0], '000.00.00.K99')).toBe('000.00.00.H36');
    expect(replacedCode(agencies[0], '000.00.00.H36')).toBeNull();
    expect(replacedCode(agencies[1], '000.00.00.K99')).toBeNull();
    expect(replacedCode(undefined, '000.00.00.K99')).toBeNull();
  });
});

describe('routing actions', () => {
  it('offers a plan first for a plan, and mapping only while the sender is unknown', () => {
    expect(routingActions(item(), ['coordinator'], false)).toEqual(['create_plan', 'attach', 'map_sender', 'dismiss']);
    expect(routingActions(item(), ['admin'], true)).toEqual(['create_plan', 'attach', 'dismiss']);
    expect(routingActions(item(), ['coordinator'], undefined)).toEqual(['create_plan', 'attach', 'dismiss']);
    expect(routingActions(item({ kind: 'official_letter' }), ['coordinator'], true)).toEqual([
      'attach',
      'create_plan',
      'dismiss',
    ]);
  });

  it('offers nothing to a leader or another role, nor for a package that does not wait', () => {
    for (const role of ['leader', 'inspector', 'viewer', 'local_officer', 'producer']) {
      expect(routingActions(item(), [role], false), role).toEqual([]);
    }
    for (const state of ['taken', 'routed', 'dismissed']) {
      expect(routingActions(item({ state }), ['coordinator'], false), state).toEqual([]);
    }
    expect(routingActions(item({ direction: 'out', state: 'sent' }), ['admin'], true)).toEqual([]);
    expect(routingActions(item({ direction: 'out', state: 'waiting' }), ['admin'], true)).toEqual([]);
  });

  it('builds each action’s body, or names what is missing', () => {
    const form = { campaignId: 4, agencyId: 9, reason: '  Không thuộc phạm vi OCOP.  ' };
    expect(routeRequest('attach', form, true)).toEqual({ ok: true, body: { action: 'attach', campaign_id: 4 } });
    expect(routeRequest('map_sender', form, false)).toEqual({ ok: true, body: { action: 'map_sender', agency_id: 9 } });
    expect(routeRequest('dismiss', form, true)).toEqual({
      ok: true,
      body: { action: 'dismiss', reason: 'Không thuộc phạm vi OCOP.' },
    });
    expect(routeRequest('create_plan', form, false)).toEqual({ ok: true, body: { action: 'create_plan', agency_id: 9 } });

    expect(routeRequest('attach', EMPTY_ROUTE_FORM, true)).toEqual({
      ok: false,
      field: 'campaign_id',
      key: 'eoffice.route.needCampaign',
    });
    expect(routeRequest('map_sender', EMPTY_ROUTE_FORM, false)).toMatchObject({ ok: false, field: 'agency_id' });
    expect(routeRequest('dismiss', { ...EMPTY_ROUTE_FORM, reason: '   ' }, true)).toEqual({
      ok: false,
      field: 'reason',
      key: 'eoffice.route.needReason',
    });
  });

  it('makes a plan for the sender’s agency when it is mapped, asks for the issuing agency otherwise', () => {
    expect(routeRequest('create_plan', EMPTY_ROUTE_FORM, true)).toEqual({ ok: true, body: { action: 'create_plan' } });
    for (const mapped of [false, undefined]) {
      expect(routeRequest('create_plan', EMPTY_ROUTE_FORM, mapped)).toEqual({
        ok: false,
        field: 'agency_id',
        key: 'eoffice.route.needIssuingAgency',
      });
    }
  });
});

/** The e-office's own problem codes (backend/ocop/integrations/eoffice). */
const EOFFICE_CODES = [
  'eoffice_not_waiting',
  'eoffice_code_taken',
  'eoffice_no_package',
  'eoffice_document_not_found',
  'eoffice_attachment_not_found',
  'edxml_number_taken',
  'edxml_invalid',
] as const;

describe('errors', () => {
  const problem = (status: number, code: string) =>
    new ApiError(status, { status, code, detail: 'The server’s English detail' });

  it('says the e-office’s refusals in the app’s words through the general describeError', () => {
    for (const code of EOFFICE_CODES) {
      const status = code.endsWith('not_found') ? 404 : code === 'edxml_invalid' ? 422 : 409;
      const m = describeError(problem(status, code));
      expect(m, code).toEqual({ key: `errors.${code}` });
      expect(m.text, code).toBeUndefined(); // never the server's English detail
    }
    expect(describeError(problem(403, 'forbidden_role'))).toEqual({ key: 'errors.forbidden_role' });
    expect(describeError(new ApiError(500, null))).toEqual({ key: 'errors.server', values: { status: 500 } });
  });
});

describe('texts', () => {
  const ACTIONS: RouteAction[] = ['attach', 'create_plan', 'map_sender', 'dismiss'];

  it('has every label, in Vietnamese and English', () => {
    const keys = [
      'nav.eoffice',
      ...EOFFICE_CODES.map((c) => `errors.${c}`),
      ...[...STATES.in, ...STATES.out].map((s) => `eoffice.states.${s}`),
      ...KINDS.map((k) => `eoffice.kinds.${k}`),
      ...ACTIONS.flatMap((a) => ['actions', 'titles', 'hints', 'confirm', 'done'].map((g) => `eoffice.route.${g}.${a}`)),
      ...['strayAnswer', 'plan', 'unknownSender', 'senderMapped', 'otherKind'].map((w) => `eoffice.why.${w}`),
      ...['needCampaign', 'needAgency', 'needReason', 'needIssuingAgency'].map((n) => `eoffice.route.${n}`),
    ];
    for (const key of keys) {
      expect(text(vi, key), key).toBeTruthy();
      expect(text(en, key), key).toBeTruthy();
    }
  });

  it('names the page and the states in Vietnamese', () => {
    expect(text(vi, 'nav.eoffice')).toBe('Văn bản điện tử');
    expect(text(vi, 'eoffice.boxes.in')).toBe('Văn bản đến');
    expect(text(vi, 'eoffice.boxes.out')).toBe('Văn bản đi');
    expect(text(vi, 'eoffice.states.waiting')).toBe('Chờ xử lý');
    expect(text(vi, 'eoffice.states.dismissed')).toBe('Đã loại bỏ');
    expect(text(vi, 'eoffice.kinds.official_letter')).toBe('Công văn');
  });
});
