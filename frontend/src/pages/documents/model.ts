// Pure logic of the documents (unit-tested in model.test.ts): file addresses, fallback names,
// grouping of a campaign's documents, issuing them with the register's number, and the template preview's form.
import { ApiError, splitValidationErrors } from '../../api/problem';
import type { paths } from '../../api/schema';

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type DocumentList = JsonOf<paths['/api/v1/campaigns/{campaign_id}/documents']['get']['responses'][200]>;
export type DocumentInfo = DocumentList['items'][number];
/** One issued version of a document (the plan's, a notice's, …), kept as issued. */
export type IssuedVersion = NonNullable<DocumentList['issued']>[number];
export type IssueRequest = NonNullable<
  paths['/api/v1/campaigns/{campaign_id}/documents/{kind}/issue']['post']['requestBody']
>['content']['application/json'];
export type TemplateKinds = JsonOf<paths['/api/v1/document-templates/kinds']['get']['responses'][200]>;
export type TemplateKindRead = TemplateKinds['items'][number];
export type TemplatePage = JsonOf<paths['/api/v1/document-templates']['get']['responses'][200]>;
export type TemplateRead = TemplatePage['items'][number];
export type TemplateKind = TemplateRead['kind'];
export type FileFormat = 'docx' | 'pdf';
/** Every kind of document: the campaign's (plan, decision, notice, report, conclusion) and the minutes. */
export type DocumentKind = DocumentInfo['kind'] | TemplateKind;

/** The kinds of documents, in the order of the work: plan, decision, notices, minutes, report, conclusions. */
export const DOCUMENT_KINDS = [
  'plan',
  'decision',
  'notice',
  'minutes',
  'report',
  'conclusion',
] as const satisfies readonly DocumentKind[];

/** The abbreviations of Decree 30/2020/NĐ-CP used in document numbers (KH, QĐ, TB, BB, BC; a conclusion is a TB). */
export const KIND_CODES: Record<DocumentKind, string> = {
  plan: 'KH',
  decision: 'QĐ',
  notice: 'TB',
  minutes: 'BB',
  report: 'BC',
  conclusion: 'TB',
};

export const KIND_COLORS: Record<DocumentKind, string> = {
  plan: 'green',
  decision: 'red',
  notice: 'blue',
  minutes: 'grape',
  report: 'orange',
  conclusion: 'teal',
};

/** File name stems when the server sends none (the server's own names are used otherwise). */
const STEMS: Record<DocumentKind, string> = {
  plan: 'ke-hoach',
  decision: 'quyet-dinh',
  notice: 'thong-bao',
  minutes: 'bien-ban',
  report: 'bao-cao',
  conclusion: 'thong-bao-ket-luan',
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
export function fallbackFilename(
  item: Pick<DocumentInfo, 'kind' | 'unit_id' | 'visit_id' | 'producer_id'>,
  format: FileFormat,
): string {
  const parts: (string | number)[] = [STEMS[item.kind]];
  if (item.unit_id != null) parts.push(item.unit_id);
  if (item.producer_id != null) parts.push(`cs${item.producer_id}`);
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
  const known: readonly string[] = DOCUMENT_KINDS;
  const others = [...new Set(items.map((i) => i.kind).filter((k) => !known.includes(k)))]; // a kind added later: last
  return [...DOCUMENT_KINDS, ...others]
    .map((kind) => ({ kind, items: items.filter((i) => i.kind === kind) }))
    .filter((g) => g.items.length > 0);
}

/** The server cannot convert to PDF (no LibreOffice): 409 `pdf_unavailable`. */
export function isPdfUnavailable(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.code === 'pdf_unavailable';
}

// ---- issuing with the register's number ------------------------------------------------------------

/** Who may issue a campaign's documents (the server decides; this only hides the action from the others). */
export function mayIssueDocuments(roles: readonly string[] | null | undefined): boolean {
  return (roles ?? []).some((r) => r === 'admin' || r === 'coordinator' || r === 'leader');
}

type Scoped = Pick<DocumentInfo, 'kind' | 'unit_id' | 'producer_id'>;

/**
 * Whether a document is issued from the documents tab with the register's number: the decision and the report
 * (the campaign's), a unit's notice (not the file of every unit's), a conclusion (one unit's or one producer's).
 * The plan is issued by its workflow; minutes freeze when the visit is approved.
 */
export function isIssuable(item: Scoped): boolean {
  const unit = item.unit_id != null;
  const producer = item.producer_id != null;
  switch (item.kind) {
    case 'decision':
    case 'report':
      return !unit && !producer;
    case 'notice':
      return unit && !producer;
    case 'conclusion':
      return unit !== producer;
    default:
      return false;
  }
}

/** The same document (kind and scope) in the list and in its issued versions. */
export function scopeKey(x: Scoped): string {
  return `${x.kind}|${x.unit_id ?? ''}|${x.producer_id ?? ''}`;
}

/** A document's issued versions, newest first. */
export function versionsOf(item: Scoped, issued: readonly IssuedVersion[] | undefined): IssuedVersion[] {
  const key = scopeKey(item);
  return (issued ?? []).filter((v) => scopeKey(v) === key).sort((a, b) => b.version - a.version);
}

/** "10/03/2024": a register date (YYYY-MM-DD) as documents write it in a list. */
export function vnDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

export interface Message {
  key: string;
  values?: Record<string, string | number>;
}

/** "Số 05/TB-SNN ngày 10/03/2024, bản 2" (the version said from the second on). */
export function issuedLabel(v: Pick<IssuedVersion, 'number' | 'date' | 'version'>): Message {
  const values = { number: v.number, date: vnDate(v.date), version: v.version };
  return { key: v.version > 1 ? 'documents.issue.labelVersion' : 'documents.issue.label', values };
}

/** The file of one issued version as Word or PDF: its path (…/notice.docx?unit_id=3&version=1) in the format. */
export function versionFileUrl(path: string, format: FileFormat): string {
  return path.replace(/\.(docx|pdf)(?=$|[?#])/, `.${format}`);
}

/** The name to save an issued version under when the response has no Content-Disposition. */
export function versionFilename(v: Pick<IssuedVersion, 'kind' | 'number' | 'version'>, format: FileFormat): string {
  const slug = v.number.toLowerCase().replace(/đ/g, 'd').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${STEMS[v.kind] ?? 'van-ban'}-${slug}${v.version > 1 ? `-lan-${v.version}` : ''}.${format}`;
}

/** The register's number as the server keeps it, or null when it is not written as in the register. */
const REGISTER_NUMBER = /^0*(\d{1,6})\s*\/\s*([A-ZĐ]{1,6})-([A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*)$/;

/** "7/tb-snn" → "07/TB-SNN" (a leading zero below 10, upper case), as the server writes it; null if malformed. */
export function registerNumber(value: string): string | null {
  const m = REGISTER_NUMBER.exec(value.trim().toUpperCase());
  if (!m || Number(m[1]) === 0) return null;
  return `${m[1].padStart(2, '0')}/${m[2]}-${m[3]}`;
}

export interface IssueForm {
  number: string;
  date: string;
  reason: string;
}

export type IssueField = keyof IssueForm;

export type IssueCheck =
  | { ok: true; body: IssueRequest }
  | { ok: false; errors: Partial<Record<IssueField, Message>> };

/** A correction's reason is at least this long (the server's rule). */
export const MIN_REASON = 3;

/**
 * The issue request for `item`, or what is wrong with the form (i18n messages per field). Issuing a document
 * issued already is a correction: its reason is required.
 */
export function issueRequest(item: Scoped, form: IssueForm, reissue: boolean): IssueCheck {
  const errors: Partial<Record<IssueField, Message>> = {};
  const code = KIND_CODES[item.kind];
  const number = registerNumber(form.number);
  if (!form.number.trim()) errors.number = { key: 'documents.issue.numberRequired' };
  else if (number == null) errors.number = { key: 'documents.issue.numberFormat', values: { code } };
  else if (number.split('/')[1].split('-')[0] !== code)
    errors.number = { key: 'documents.issue.numberCode', values: { code } };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date)) errors.date = { key: 'documents.issue.dateRequired' };
  const reason = form.reason.trim();
  if (reissue && reason.length < MIN_REASON) errors.reason = { key: 'documents.issue.reasonRequired' };
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const body: IssueRequest = { number: form.number.trim(), date: form.date, note: reissue ? reason : null };
  if (item.unit_id != null) body.unit_id = item.unit_id;
  if (item.producer_id != null) body.producer_id = item.producer_id;
  return { ok: true, body };
}

/**
 * The server's 422 about the issue form, field by field in the app's words (its own texts are English); what
 * belongs to no field is left to describeError.
 */
export function issueServerErrors(error: unknown, item: Scoped): Partial<Record<IssueField, Message>> {
  if (!(error instanceof ApiError) || error.status !== 422) return {};
  const split = splitValidationErrors(error, ['number', 'date', 'note']);
  const code = KIND_CODES[item.kind];
  const errors: Partial<Record<IssueField, Message>> = {};
  if (split.fields.number) errors.number = { key: 'documents.issue.numberFormat', values: { code } };
  if (split.fields.date) errors.date = { key: 'documents.issue.dateRequired' };
  if (split.fields.note) errors.reason = { key: 'documents.issue.reasonRequired' };
  return errors;
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
  if (r.kind === 'conclusion' && r.unitId == null) return 'templates.preview.needUnit'; // one unit's conclusion
  return null;
}

/** Plans whose documents are worth previewing first: issued and under way (a draft may have no schedule yet). */
const PREVIEW_FIRST = ['in_progress', 'reporting', 'issued', 'closed'];

/** The plan a preview starts with: the first of the list (newest first) that is issued, else the first. */
export function defaultPreviewCampaign<C extends { id: number; status: string }>(campaigns: readonly C[]): number | null {
  return (campaigns.find((c) => PREVIEW_FIRST.includes(c.status)) ?? campaigns[0])?.id ?? null;
}

/** The multipart fields of `POST /document-templates/preview` (the visit only for minutes, the unit only for notices
 * and conclusions). */
export function previewFields(r: PreviewRequest): [string, string | File][] {
  const fields: [string, string | File][] = [
    ['kind', r.kind],
    ['campaign_id', String(r.campaignId)],
  ];
  if (r.kind === 'minutes' && r.visitId != null) fields.push(['visit_id', String(r.visitId)]);
  if ((r.kind === 'notice' || r.kind === 'conclusion') && r.unitId != null) fields.push(['unit_id', String(r.unitId)]);
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
