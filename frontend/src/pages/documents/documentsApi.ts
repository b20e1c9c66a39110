// The documents a campaign produces and the document templates: every call in one place.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { unwrap } from '../../api/problem';
import { filenameFromDisposition, type DownloadedFile } from '../../lib/download';
import type { CursorPage } from '../../lib/useCursorList';
import {
  fallbackFilename,
  fileUrl,
  isApiPath,
  previewFields,
  versionFileUrl,
  versionFilename,
  type DocumentInfo,
  type DocumentList,
  type FileFormat,
  type IssuedVersion,
  type IssueRequest,
  type PreviewRequest,
  type TemplateKind,
  type TemplateKindRead,
  type TemplateKinds,
  type TemplateRead,
} from './model';

export const documentKeys = {
  campaign: (campaignId: number) => ['campaign', campaignId, 'documents'] as const,
  templates: ['document-templates'] as const,
  kinds: ['document-templates', 'kinds'] as const,
  versions: (kind: TemplateKind) => ['document-templates', 'versions', kind] as const,
};

type FetchResult = { data?: unknown; error?: unknown; response: Response };
/**
 * GET of an address the server handed out (a document's `path`), through the typed client so that
 * the request carries the token and survives a refresh; the generated types cannot name such a path.
 */
const getBlob = api.GET as unknown as (url: string, init: { parseAs: 'blob' }) => Promise<FetchResult>;

function downloaded(result: FetchResult, fallback: string): DownloadedFile {
  const blob = unwrap(result) as Blob;
  return { blob, filename: filenameFromDisposition(result.response.headers.get('Content-Disposition'), fallback) };
}

// ---- a campaign's documents ------------------------------------------------------------------

export async function listDocuments(campaignId: number): Promise<DocumentList> {
  return unwrap(
    await api.GET('/api/v1/campaigns/{campaign_id}/documents', { params: { path: { campaign_id: campaignId } } }),
  );
}

export function useDocuments(campaignId: number) {
  return useQuery({ queryKey: documentKeys.campaign(campaignId), queryFn: () => listDocuments(campaignId) });
}

/** One document as Word or PDF (409 `pdf_unavailable` when the server cannot convert). */
export async function fetchDocument(item: DocumentInfo, format: FileFormat): Promise<DownloadedFile> {
  if (!isApiPath(item.path)) throw new Error(`Not an API path: ${item.path}`);
  const result = await getBlob(fileUrl(item.path, format), { parseAs: 'blob' });
  return downloaded(result, fallbackFilename(item, format));
}

/** One issued version's file, byte for byte as issued (its path names the version). */
export async function fetchVersion(v: IssuedVersion, format: FileFormat): Promise<DownloadedFile> {
  if (!isApiPath(v.path)) throw new Error(`Not an API path: ${v.path}`);
  const result = await getBlob(versionFileUrl(v.path, format), { parseAs: 'blob' });
  return downloaded(result, versionFilename(v, format));
}

export type IssueKind = paths['/api/v1/campaigns/{campaign_id}/documents/{kind}/issue']['post']['parameters']['path']['kind'];

/** Issue a document with the register's number and date (again: a correction, its reason in `note`). */
export async function issueDocument(campaignId: number, kind: IssueKind, body: IssueRequest): Promise<IssuedVersion> {
  return unwrap(
    await api.POST('/api/v1/campaigns/{campaign_id}/documents/{kind}/issue', {
      params: { path: { campaign_id: campaignId, kind } },
      body,
    }),
  );
}

// ---- templates -------------------------------------------------------------------------------

export async function getTemplateKinds(): Promise<TemplateKinds> {
  return unwrap(await api.GET('/api/v1/document-templates/kinds'));
}

export function useTemplateKinds() {
  return useQuery({ queryKey: documentKeys.kinds, queryFn: getTemplateKinds });
}

export async function listTemplates(
  kind: TemplateKind,
  cursor: string | undefined,
  limit: number,
): Promise<CursorPage<TemplateRead>> {
  return unwrap(await api.GET('/api/v1/document-templates', { params: { query: { kind, cursor, limit } } }));
}

export async function uploadTemplate(
  kind: TemplateKind,
  file: File,
  note: string | null,
  activate: boolean,
): Promise<TemplateRead> {
  const form = new FormData();
  form.append('file', file, file.name);
  if (note) form.append('note', note);
  form.append('activate', activate ? 'true' : 'false');
  return unwrap(
    await api.POST('/api/v1/document-templates/{kind}', { params: { path: { kind } }, body: form as never }),
  );
}

export async function activateTemplate(id: number): Promise<TemplateRead> {
  return unwrap(
    await api.POST('/api/v1/document-templates/{template_id}/activate', { params: { path: { template_id: id } } }),
  );
}

/** Back to the built-in template for a kind (the uploaded versions stay). */
export async function restoreDefaultTemplate(kind: TemplateKind): Promise<TemplateKindRead> {
  return unwrap(await api.POST('/api/v1/document-templates/{kind}/use-default', { params: { path: { kind } } }));
}

export async function downloadDefaultTemplate(kind: TemplateKind): Promise<DownloadedFile> {
  const result = await api.GET('/api/v1/document-templates/defaults/{kind}.docx', {
    params: { path: { kind } },
    parseAs: 'blob',
  });
  return downloaded(result, `mau-${kind}-mac-dinh.docx`);
}

export async function downloadTemplate(t: TemplateRead): Promise<DownloadedFile> {
  const result = await api.GET('/api/v1/document-templates/{template_id}/file', {
    params: { path: { template_id: t.id } },
    parseAs: 'blob',
  });
  return downloaded(result, t.filename);
}

/** A template filled with a campaign's data (nothing is kept), as a Word document. */
export async function previewTemplate(request: PreviewRequest): Promise<Blob> {
  const form = new FormData();
  for (const [name, value] of previewFields(request)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, value.name);
  }
  const result = await api.POST('/api/v1/document-templates/preview', { body: form as never, parseAs: 'blob' });
  return unwrap(result) as Blob;
}
