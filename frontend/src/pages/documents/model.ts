// Pure logic of the documents (unit-tested in model.test.ts): file addresses, fallback names,
// grouping of a campaign's documents and the template preview's form.
import { ApiError } from '../../api/problem';
import type { paths } from '../../api/schema';

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type DocumentList = JsonOf<paths['/api/v1/campaigns/{campaign_id}/documents']['get']['responses'][200]>;
export type DocumentInfo = DocumentList['items'][number];
export type TemplateKinds = JsonOf<paths['/api/v1/document-templates/kinds']['get']['responses'][200]>;
export type TemplateKindRead = TemplateKinds['items'][number];
export type TemplatePage = JsonOf<paths['/api/v1/document-templates']['get']['responses'][200]>;
export type TemplateRead = TemplatePage['items'][number];
export type TemplateKind = TemplateRead['kind'];
export type FileFormat = 'docx' | 'pdf';

/** The kinds of documents, in the order of the work: plan, notices, minutes, report. */
export const DOCUMENT_KINDS = ['plan', 'notice', 'minutes', 'report'] as const satisfies readonly TemplateKind[];

/** The abbreviations of Decree 30/2020/NĐ-CP used in document numbers (KH, TB, BB, BC). */
export const KIND_CODES: Record<TemplateKind, string> = { plan: 'KH', notice: 'TB', minutes: 'BB', report: 'BC' };

export const KIND_COLORS: Record<TemplateKind, string> = {
  plan: 'green',
  notice: 'blue',
  minutes: 'grape',
  report: 'orange',
};

/** File name stems when the server sends none (the server's own names are used otherwise). */
const STEMS: Record<TemplateKind, string> = {
  plan: 'ke-hoach',
  notice: 'thong-bao',
  minutes: 'bien-ban',
  report: 'bao-cao',
};

/**
 * The address of a document's file: the format's extension appended to the path, before any
 * query string (`…/notice?unit_id=3` → `…/notice.docx?unit_id=3`).
 */
export function fileUrl(path: string, format: FileFormat): string {
  const at = path.search(/[?#]/);
  if (at < 0) return `${path}.${format}`;
  return `${path.slice(0, at)}.${format}${path.slice(at)}`;
}

/** Whether `path` is one of this API's addresses (documents are only fetched from there, with the token). */
export function isApiPath(path: string): boolean {
  return path.startsWith('/api/') && !path.includes('..') && !path.startsWith('//');
}

/** The name to save a document under when the response has no Content-Disposition. */
export function fallbackFilename(item: Pick<DocumentInfo, 'kind' | 'unit_id' | 'visit_id'>, format: FileFormat): string {
  const parts: (string | number)[] = [STEMS[item.kind]];
  if (item.unit_id != null) parts.push(item.unit_id);
  if (item.visit_id != null) parts.push(item.visit_id);
  return `${parts.join('-')}.${format}`;
}

/** A key that tells the documents of a list apart. */
export const documentKey = (item: Pick<DocumentInfo, 'path'>) => item.path;

export interface DocumentGroup {
  kind: DocumentInfo['kind'];
  items: DocumentInfo[];
}

/** The documents grouped by kind, in the order of the work; the server's order is kept inside a group. */
export function groupDocuments(items: readonly DocumentInfo[]): DocumentGroup[] {
  return DOCUMENT_KINDS.map((kind) => ({ kind, items: items.filter((i) => i.kind === kind) })).filter(
    (g) => g.items.length > 0,
  );
}

/** The server cannot convert to PDF (no LibreOffice): 409 `pdf_unavailable`. */
export function isPdfUnavailable(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.code === 'pdf_unavailable';
}

// ---- templates ---------------------------------------------------------------------------------

/** Which template a preview fills: the one in use, a stored version, or a file not uploaded yet. */
export type PreviewSource = { type: 'active' } | { type: 'version'; id: number } | { type: 'file'; file: File };

export interface PreviewRequest {
  kind: TemplateKind;
  campaignId: number | null;
  visitId: number | null;
  unitId: number | null;
  source: PreviewSource;
}

/** What is still missing before a preview can be asked for (i18n keys), or nothing. */
export function previewProblem(r: PreviewRequest): string | null {
  if (r.campaignId == null) return 'templates.preview.needCampaign';
  if (r.kind === 'minutes' && r.visitId == null) return 'templates.preview.needVisit';
  return null;
}

/** Plans whose documents are worth previewing first: issued and under way (a draft may have no schedule yet). */
const PREVIEW_FIRST = ['in_progress', 'reporting', 'issued', 'closed'];

/** The plan a preview starts with: the first of the list (newest first) that is issued, else the first. */
export function defaultPreviewCampaign<C extends { id: number; status: string }>(campaigns: readonly C[]): number | null {
  return (campaigns.find((c) => PREVIEW_FIRST.includes(c.status)) ?? campaigns[0])?.id ?? null;
}

/** The multipart fields of `POST /document-templates/preview` (the visit only for minutes, the unit only for notices). */
export function previewFields(r: PreviewRequest): [string, string | File][] {
  const fields: [string, string | File][] = [
    ['kind', r.kind],
    ['campaign_id', String(r.campaignId)],
  ];
  if (r.kind === 'minutes' && r.visitId != null) fields.push(['visit_id', String(r.visitId)]);
  if (r.kind === 'notice' && r.unitId != null) fields.push(['unit_id', String(r.unitId)]);
  if (r.source.type === 'version') fields.push(['template_id', String(r.source.id)]);
  if (r.source.type === 'file') fields.push(['file', r.source.file]);
  return fields;
}

/** A file the template upload takes: a Word document (.docx). */
export function isDocx(file: Pick<File, 'name'>): boolean {
  return /\.docx$/i.test(file.name);
}

/** "12,3 KB": a file size for people. */
export function fileSize(bytes: number, locale: string): string {
  if (bytes < 1024) return `${bytes.toLocaleString(locale)} B`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${kb.toLocaleString(locale, { maximumFractionDigits: 1 })} KB`;
  return `${(kb / 1024).toLocaleString(locale, { maximumFractionDigits: 1 })} MB`;
}
