// All inspection-work calls (visit records, answers, evidence, findings, actions, compliance) in one
// place, so that small differences in the generated schema only need fixing here.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ifMatchHeaders } from '../../api/etag';
import { unwrap } from '../../api/problem';
import type {
  ActionCreate,
  AnswerIn,
  AnswerList,
  CorrectiveAction,
  Evidence,
  Finding,
  FindingPage,
  FindingsQuery,
  FindingTransition,
  ProducerCompliance,
  ProductCompliance,
  Timeline,
  Visit,
  VisitRecord,
  VisitRecordUpdate,
  VisitTransition,
} from '../../api/types';
import type { paths } from '../../api/schema';
import { filenameFromDisposition, type DownloadedFile } from '../../lib/download';

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;
import { fetchAll } from '../campaigns/campaignsApi';

type Id = number;
const MAX_PAGE = 200;
const visitPath = (visitId: Id) => ({ path: { visit_id: visitId } });
const findingPath = (findingId: Id) => ({ path: { finding_id: findingId } });

export const inspectionKeys = {
  visit: (id: Id) => ['visit', id] as const,
  part: (id: Id, part: string) => ['visit', id, part] as const,
  checklist: (campaignId: Id) => ['checklist', campaignId] as const,
  findings: ['findings'] as const,
  finding: (id: Id) => ['findings', id] as const,
  findingPart: (id: Id, part: string) => ['findings', id, part] as const,
  compliance: ['compliance'] as const,
};

// ---- visits -------------------------------------------------------------------------------

export async function getVisit(visitId: Id): Promise<Visit> {
  return unwrap(await api.GET('/api/v1/visits/{visit_id}', { params: visitPath(visitId) }));
}

export async function getRecord(visitId: Id): Promise<VisitRecord> {
  return unwrap(await api.GET('/api/v1/visits/{visit_id}/record', { params: visitPath(visitId) }));
}

export async function updateRecord(
  record: Pick<VisitRecord, 'id' | 'version'>,
  changes: VisitRecordUpdate,
): Promise<VisitRecord> {
  const { header, headers } = ifMatchHeaders(record.version);
  return unwrap(
    await api.PATCH('/api/v1/visits/{visit_id}/record', {
      params: { path: { visit_id: record.id }, header },
      headers,
      body: changes,
    }),
  );
}

export async function transitionVisit(visitId: Id, body: VisitTransition): Promise<VisitRecord> {
  return unwrap(await api.POST('/api/v1/visits/{visit_id}/transitions', { params: visitPath(visitId), body }));
}

export async function listAnswers(visitId: Id): Promise<AnswerList> {
  return unwrap(await api.GET('/api/v1/visits/{visit_id}/answers', { params: visitPath(visitId) }));
}

/** Creates or replaces answers; sending the same answers again changes nothing (safe to retry). */
export async function saveAnswers(visitId: Id, answers: AnswerIn[]): Promise<AnswerList> {
  return unwrap(await api.PUT('/api/v1/visits/{visit_id}/answers', { params: visitPath(visitId), body: { answers } }));
}

export async function listVisitEvidence(visitId: Id): Promise<Evidence[]> {
  return fetchAll(async (cursor) =>
    unwrap(
      await api.GET('/api/v1/visits/{visit_id}/evidence', {
        params: { ...visitPath(visitId), query: { limit: MAX_PAGE, cursor } },
      }),
    ),
  );
}

export interface EvidenceUpload {
  file: Blob;
  filename: string;
  itemCode?: string | null;
  /** When the photo was taken (ISO with offset). */
  capturedAt?: string | null;
  /** The product the photo shows (one of the visit's or the finding's producer's). */
  productId?: number | null;
  /** Where the device was when it was taken, when it gave a position. */
  position?: Position | null;
  /** The Idempotency-Key: sending the same upload again gives the same evidence. */
  key?: string | null;
}

export interface Position {
  latitude: number;
  longitude: number;
  accuracy_m: number | null;
}

/** When a picked file was taken: a camera photo's time is its file's. */
export const capturedAt = (file: Blob) =>
  new Date((file instanceof File && file.lastModified) || Date.now()).toISOString();

/** A picked file as an upload. */
export const fileUpload = (file: File): EvidenceUpload => ({
  file,
  filename: file.name,
  capturedAt: capturedAt(file),
});

function evidenceForm({ file, filename, itemCode, capturedAt, productId, position }: EvidenceUpload): FormData {
  const form = new FormData();
  form.append('file', file, filename);
  if (itemCode) form.append('item_code', itemCode);
  if (capturedAt) form.append('captured_at', capturedAt);
  if (productId) form.append('product_id', String(productId));
  if (position) {
    form.append('latitude', String(position.latitude));
    form.append('longitude', String(position.longitude));
    if (position.accuracy_m != null) form.append('accuracy_m', String(position.accuracy_m));
  }
  return form;
}

const keyHeaders = (key: string | null | undefined) => (key ? { 'Idempotency-Key': key } : undefined);

export async function uploadVisitEvidence(visitId: Id, upload: EvidenceUpload): Promise<Evidence> {
  return unwrap(
    await api.POST('/api/v1/visits/{visit_id}/evidence', {
      params: visitPath(visitId),
      body: evidenceForm(upload) as never,
      headers: keyHeaders(upload.key),
    }),
  );
}

// ---- what an inspector takes into the field ------------------------------------------------

export type OfflineBundle = JsonOf<paths['/api/v1/me/visits/offline']['get']['responses'][200]>;
export type OfflineVisit = OfflineBundle['visits'][number];
export type OfflineProducer = OfflineBundle['producers'][number];

export async function getOfflineBundle(days?: number): Promise<OfflineBundle> {
  return unwrap(await api.GET('/api/v1/me/visits/offline', { params: { query: { days } } }));
}

// ---- evidence files -----------------------------------------------------------------------

/** An evidence file (or its JPEG thumbnail) as a Blob: the request carries the Bearer token. */
export async function downloadEvidence(evidence: Pick<Evidence, 'id' | 'filename'>, thumbnail = false): Promise<DownloadedFile> {
  const params = { path: { evidence_id: evidence.id } };
  const result = thumbnail
    ? await api.GET('/api/v1/evidence/{evidence_id}/thumbnail', { params, parseAs: 'blob' })
    : await api.GET('/api/v1/evidence/{evidence_id}', { params, parseAs: 'blob' });
  const blob = unwrap(result) as unknown as Blob;
  return {
    blob,
    filename: filenameFromDisposition(result.response.headers.get('Content-Disposition'), evidence.filename),
  };
}

// ---- findings -----------------------------------------------------------------------------

export type FindingFilters = Omit<FindingsQuery, 'limit' | 'cursor'>;

export async function listFindings(filters: FindingFilters, cursor: string | undefined, limit: number): Promise<FindingPage> {
  // JSON here; the same list also answers CSV/XLSX exports (Accept)
  return unwrap(await api.GET('/api/v1/findings', { params: { query: { ...filters, limit, cursor } } })) as FindingPage;
}

export async function getFinding(findingId: Id): Promise<Finding> {
  return unwrap(await api.GET('/api/v1/findings/{finding_id}', { params: findingPath(findingId) }));
}

export type FindingCreate = NonNullable<paths['/api/v1/findings']['post']['requestBody']>['content']['application/json'];
export type FindingUpdate = NonNullable<
  paths['/api/v1/findings/{finding_id}']['patch']['requestBody']
>['content']['application/json'];

/** A finding written by the team; `key` (Idempotency-Key) makes sending it again give the same finding. */
export async function createFinding(body: FindingCreate, key?: string): Promise<Finding> {
  return unwrap(await api.POST('/api/v1/findings', { body, headers: keyHeaders(key) }));
}

/** Changes to a finding read at `version` (412 when someone changed it meanwhile). */
export async function updateFinding(finding: Pick<Finding, 'id' | 'version'>, body: FindingUpdate): Promise<Finding> {
  const { header, headers } = ifMatchHeaders(finding.version);
  return unwrap(
    await api.PATCH('/api/v1/findings/{finding_id}', { params: { path: { finding_id: finding.id }, header }, headers, body }),
  );
}

export async function transitionFinding(findingId: Id, body: FindingTransition): Promise<Finding> {
  return unwrap(await api.POST('/api/v1/findings/{finding_id}/transitions', { params: findingPath(findingId), body }));
}

export async function getTimeline(findingId: Id): Promise<Timeline> {
  return unwrap(await api.GET('/api/v1/findings/{finding_id}/timeline', { params: findingPath(findingId) }));
}

export async function listFindingEvidence(findingId: Id): Promise<Evidence[]> {
  return fetchAll(async (cursor) =>
    unwrap(
      await api.GET('/api/v1/findings/{finding_id}/evidence', {
        params: { ...findingPath(findingId), query: { limit: MAX_PAGE, cursor } },
      }),
    ),
  );
}

export async function uploadFindingEvidence(findingId: Id, upload: EvidenceUpload): Promise<Evidence> {
  return unwrap(
    await api.POST('/api/v1/findings/{finding_id}/evidence', {
      params: findingPath(findingId),
      body: evidenceForm({ ...upload, itemCode: null }) as never,
      headers: keyHeaders(upload.key),
    }),
  );
}

/** Every finding of a visit (a visit has a handful). */
export async function listVisitFindings(visitId: Id): Promise<Finding[]> {
  return fetchAll((cursor) => listFindings({ visit_id: visitId }, cursor, MAX_PAGE));
}

// ---- corrective actions -------------------------------------------------------------------

export async function listActions(findingId: Id): Promise<CorrectiveAction[]> {
  return fetchAll(async (cursor) =>
    unwrap(
      await api.GET('/api/v1/findings/{finding_id}/actions', {
        params: { ...findingPath(findingId), query: { limit: MAX_PAGE, cursor } },
      }),
    ),
  );
}

export async function createAction(findingId: Id, body: ActionCreate): Promise<CorrectiveAction> {
  return unwrap(await api.POST('/api/v1/findings/{finding_id}/actions', { params: findingPath(findingId), body }));
}

export async function respondToAction(
  findingId: Id,
  actionId: Id,
  response: string,
  evidenceIds: Id[],
): Promise<CorrectiveAction> {
  return unwrap(
    await api.POST('/api/v1/findings/{finding_id}/actions/{action_id}/response', {
      params: { path: { finding_id: findingId, action_id: actionId } },
      body: { response, evidence_ids: evidenceIds },
    }),
  );
}

export async function verifyAction(
  findingId: Id,
  actionId: Id,
  accepted: boolean,
  comment: string | null,
): Promise<CorrectiveAction> {
  return unwrap(
    await api.POST('/api/v1/findings/{finding_id}/actions/{action_id}/verification', {
      params: { path: { finding_id: findingId, action_id: actionId } },
      body: { accepted, comment },
    }),
  );
}

export function useFinding(findingId: Id) {
  return useQuery({ queryKey: inspectionKeys.finding(findingId), queryFn: () => getFinding(findingId) });
}

// ---- compliance ---------------------------------------------------------------------------

export async function getProductCompliance(productId: Id, asOf?: string | null): Promise<ProductCompliance> {
  return unwrap(
    await api.GET('/api/v1/compliance/products/{product_id}', {
      params: { path: { product_id: productId }, query: { as_of: asOf || undefined } },
    }),
  );
}

export async function getProducerCompliance(producerId: Id, asOf?: string | null): Promise<ProducerCompliance> {
  return unwrap(
    await api.GET('/api/v1/compliance/producers/{producer_id}', {
      params: { path: { producer_id: producerId }, query: { as_of: asOf || undefined } },
    }),
  );
}
