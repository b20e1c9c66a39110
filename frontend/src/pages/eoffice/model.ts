// Pure logic of the e-office inbox and outbox (unit-tested in model.test.ts): who reads and who routes,
// the states and kinds, the list's view in the address, the header fields of a package, why a package waits,
// which routing actions apply, and the body of a routing request.
import type { components, paths } from '../../api/schema';

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type EofficePage = JsonOf<paths['/api/v1/eoffice/documents']['get']['responses'][200]>;
export type EofficeItem = EofficePage['items'][number];
export type EofficeDetail = components['schemas']['EofficeDetail'];
export type EofficeAttachment = EofficeDetail['attachments'][number];
export type EofficeTransition = components['schemas']['EofficeTransition'];
export type EofficeQuery = NonNullable<paths['/api/v1/eoffice/documents']['get']['parameters']['query']>;

export type Direction = EofficeItem['direction'];
export type EofficeState = NonNullable<EofficeQuery['state']>;
export type RouteAction = EofficeTransition['action'];

type Roles = readonly string[] | null | undefined;
const has = (roles: Roles, ...wanted: string[]) => (roles ?? []).some((r) => wanted.includes(r));

/** The inbox and outbox are read by the department's office (coordinators), its leaders and administrators. */
export const canReadEoffice = (roles: Roles) => has(roles, 'admin', 'coordinator', 'leader');

/** Packages waiting in the inbox are routed by coordinators and administrators; leaders only read. */
export const canRouteEoffice = (roles: Roles) => has(roles, 'admin', 'coordinator');

export const DIRECTIONS = ['in', 'out'] as const satisfies readonly Direction[];

/** The states a package of each direction can be in; "waiting" first: those are the work. */
export const STATES: Record<Direction, readonly EofficeState[]> = {
  in: ['waiting', 'taken', 'routed', 'dismissed'],
  out: ['sent'],
};

export const STATE_COLORS: Record<EofficeState, string> = {
  waiting: 'orange',
  taken: 'green',
  routed: 'teal',
  dismissed: 'gray',
  sent: 'blue',
};

/** The kinds the server recognises from TypeName or the notation prefix (KH-, TB-, …); "other" for the rest. */
export const KINDS = ['plan', 'notice', 'report', 'official_letter', 'decision', 'minutes', 'other'] as const;
export type EofficeKind = (typeof KINDS)[number];

export const stateColor = (state: string): string => STATE_COLORS[state as EofficeState] ?? 'gray';

// ---- the list's view, kept in the address ---------------------------------------------------------

/** Address parameters: `huong` (den = inbox, di = outbox), `trang-thai`, `loai`, `vb` (the open package). */
export const PARAMS = { direction: 'huong', state: 'trang-thai', kind: 'loai', open: 'vb' } as const;
const DIRECTION_SLUGS: Record<Direction, string> = { in: 'den', out: 'di' };
/** The state filter's value for "every state" (without the parameter the inbox opens on the waiting ones). */
export const ALL = 'tat-ca';

export interface EofficeView {
  direction: Direction;
  /** null: every state. */
  state: EofficeState | null;
  kind: EofficeKind | null;
}

/**
 * The state a box opens on: the inbox on the packages waiting for a person when the caller is the one who routes
 * them; otherwise (a leader, or the outbox) every state.
 */
export function defaultState(direction: Direction, canRoute: boolean): EofficeState | null {
  return direction === 'in' && canRoute ? 'waiting' : null;
}

/** The list's view from the address (unknown values fall back to the defaults). */
export function parseView(params: URLSearchParams, canRoute: boolean): EofficeView {
  const direction: Direction = params.get(PARAMS.direction) === DIRECTION_SLUGS.out ? 'out' : 'in';
  const raw = params.get(PARAMS.state);
  const states = STATES[direction];
  let state: EofficeState | null;
  if (raw === ALL) state = null;
  else if (raw && (states as readonly string[]).includes(raw)) state = raw as EofficeState;
  else state = defaultState(direction, canRoute);
  const kind = params.get(PARAMS.kind);
  return { direction, state, kind: (KINDS as readonly string[]).includes(kind ?? '') ? (kind as EofficeKind) : null };
}

/** The address parameters of a view (the open package, if any, is kept by the caller). */
export function viewParams(view: EofficeView, canRoute: boolean): Record<string, string | null> {
  return {
    [PARAMS.direction]: view.direction === 'out' ? DIRECTION_SLUGS.out : null,
    [PARAMS.state]: view.state === defaultState(view.direction, canRoute) ? null : (view.state ?? ALL),
    [PARAMS.kind]: view.kind,
  };
}

/** The other box: it opens on its own default state; the kind filter is kept. */
export function switchDirection(view: EofficeView, direction: Direction, canRoute: boolean): EofficeView {
  return { direction, state: defaultState(direction, canRoute), kind: view.kind };
}

/** The query of `GET /eoffice/documents` for a view. */
export function listQuery(view: EofficeView): Pick<EofficeQuery, 'direction' | 'state' | 'kind'> {
  return { direction: view.direction, state: view.state ?? undefined, kind: view.kind ?? undefined };
}

// ---- a package's header -------------------------------------------------------------------------------

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str).filter((s): s is string => s != null) : []);

export interface Organ {
  code: string | null;
  name: string | null;
}

/** The fields of the edXML header the server keeps with a package, read defensively (it is free JSON). */
export interface HeaderFields {
  codeNumber: string | null;
  codeNotation: string | null;
  place: string | null;
  promulgationDate: string | null;
  type: string | null;
  typeDetail: string | null;
  typeName: string | null;
  content: string | null;
  signer: string | null;
  receivers: Organ[];
  toPlaces: string[];
  signed: boolean;
}

export function headerFields(header: Record<string, unknown> | null | undefined): HeaderFields {
  const h = header ?? {};
  const receivers = Array.isArray(h.receivers)
    ? h.receivers
        .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
        .map((r) => ({ code: str(r.organ_id), name: str(r.name) }))
        .filter((r) => r.code || r.name)
    : [];
  const signer = [str(h.signer_competence), str(h.signer_position), str(h.signer_name)].filter(Boolean).join(' ');
  return {
    codeNumber: str(h.code_number),
    codeNotation: str(h.code_notation),
    place: str(h.place),
    promulgationDate: str(h.promulgation_date),
    type: str(h.type),
    typeDetail: str(h.type_detail),
    typeName: str(h.type_name),
    content: str(h.content),
    signer: signer || null,
    receivers,
    toPlaces: strings(h.to_places),
    signed: h.signed === true,
  };
}

/** "Số 112/KH-UBND": the number and notation as written on the document (from the header, else the record). */
export function documentNumber(item: Pick<EofficeItem, 'number'>, header?: HeaderFields): string | null {
  if (header && (header.codeNumber || header.codeNotation)) {
    return [header.codeNumber, header.codeNotation].filter(Boolean).join('/');
  }
  return item.number?.trim() || null;
}

/** The kind in words as the sender wrote it (TypeName), else null (the caller shows the recognised kind). */
export const typeName = (item: Pick<EofficeItem, 'type_name'>): string | null => item.type_name?.trim() || null;

/** "Type 1 · TypeDetail 0": the national category codes, for whoever needs to check them. */
export function typeCodes(item: Pick<EofficeItem, 'doc_type' | 'type_detail'>): string {
  return [item.doc_type, item.type_detail].filter((c) => c != null && c !== '' && c !== '?').join(' / ');
}

// ---- the sender and why a package waits ----------------------------------------------------------------

export interface AgencyLike {
  id: number;
  name: string;
  code: string;
  eoffice_code?: string | null;
}

/** The agency that carries `senderCode` as its e-office code, null when none; undefined while not known yet. */
export function senderAgency<A extends AgencyLike>(
  agencies: readonly A[] | undefined,
  senderCode: string,
): A | null | undefined {
  if (!agencies) return undefined;
  return agencies.find((a) => a.eoffice_code === senderCode) ?? null;
}

export interface Message {
  key: string;
  values?: Record<string, string>;
}

/**
 * Why a package waits for a person, in the app's words (the server's `reason` for a waiting package is for
 * developers): an answer to nothing sent from here, a plan from a sender no agency carries the code of (or one
 * just mapped), or a kind that is not acted on automatically. Null for a package that does not wait.
 */
export function waitingReason(
  doc: Pick<EofficeItem, 'state' | 'kind' | 'response_for' | 'sender_code' | 'type_name' | 'doc_type'>,
  sender: Pick<AgencyLike, 'name'> | null | undefined,
): Message | null {
  if (doc.state !== 'waiting') return null;
  if (doc.response_for) return { key: 'eoffice.why.strayAnswer', values: { id: doc.response_for } };
  if (doc.kind === 'plan') {
    if (sender === undefined) return { key: 'eoffice.why.plan' };
    if (sender === null) return { key: 'eoffice.why.unknownSender', values: { code: doc.sender_code } };
    return { key: 'eoffice.why.senderMapped', values: { agency: sender.name } };
  }
  return { key: 'eoffice.why.otherKind', values: { type: doc.type_name?.trim() || doc.doc_type } };
}

// ---- routing -------------------------------------------------------------------------------------------

/**
 * The routing actions a caller may take on a package: only on a received package waiting in the inbox, only for
 * coordinators and administrators. Mapping the sender is offered while no agency carries its code (another
 * mapping would be refused); a plan is made first from a package that is one.
 */
export function routingActions(
  doc: Pick<EofficeItem, 'direction' | 'state' | 'kind'>,
  roles: Roles,
  senderMapped: boolean | undefined,
): RouteAction[] {
  if (!canRouteEoffice(roles) || doc.direction !== 'in' || doc.state !== 'waiting') return [];
  const order: RouteAction[] =
    doc.kind === 'plan' ? ['create_plan', 'attach', 'map_sender', 'dismiss'] : ['attach', 'create_plan', 'map_sender', 'dismiss'];
  return order.filter((a) => a !== 'map_sender' || senderMapped === false);
}

export interface RouteForm {
  campaignId: number | null;
  agencyId: number | null;
  reason: string;
}

export const EMPTY_ROUTE_FORM: RouteForm = { campaignId: null, agencyId: null, reason: '' };

/** The form fields each action uses, by the names of the API's body (for its 422 errors). */
export const ROUTE_FIELDS = ['campaign_id', 'agency_id', 'reason'] as const;
export type RouteField = (typeof ROUTE_FIELDS)[number];

export type RouteRequest =
  | { ok: true; body: EofficeTransition }
  | { ok: false; field: RouteField; key: string };

/**
 * The body of `POST /eoffice/documents/{id}/transitions`, or what is missing (the field and an i18n key).
 * A plan needs the issuing agency only when the sender is not mapped to one.
 */
export function routeRequest(action: RouteAction, form: RouteForm, senderMapped: boolean | undefined): RouteRequest {
  switch (action) {
    case 'attach':
      if (form.campaignId == null) return { ok: false, field: 'campaign_id', key: 'eoffice.route.needCampaign' };
      return { ok: true, body: { action, campaign_id: form.campaignId } };
    case 'map_sender':
      if (form.agencyId == null) return { ok: false, field: 'agency_id', key: 'eoffice.route.needAgency' };
      return { ok: true, body: { action, agency_id: form.agencyId } };
    case 'dismiss': {
      const reason = form.reason.trim();
      if (!reason) return { ok: false, field: 'reason', key: 'eoffice.route.needReason' };
      return { ok: true, body: { action, reason } };
    }
    case 'create_plan':
      if (form.agencyId == null && senderMapped !== true) {
        return { ok: false, field: 'agency_id', key: 'eoffice.route.needIssuingAgency' };
      }
      return { ok: true, body: form.agencyId == null ? { action } : { action, agency_id: form.agencyId } };
  }
}

/**
 * A warning before mapping the sender's code to an agency that already carries another code (the new code
 * replaces it): the agency's current code, or null.
 */
export function replacedCode(agency: Pick<AgencyLike, 'eoffice_code'> | null | undefined, senderCode: string) {
  const current = agency?.eoffice_code?.trim();
  return current && current !== senderCode ? current : null;
}

/** The name to save an attachment under when the response has no Content-Disposition. */
export function attachmentName(att: Pick<EofficeAttachment, 'name' | 'n'>): string {
  return att.name?.trim() || `tep-dinh-kem-${att.n}`;
}
