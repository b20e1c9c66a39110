// The e-office inbox and outbox: every call in one place.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { CampaignSummary } from '../../api/types';
import { filenameFromDisposition, type DownloadedFile } from '../../lib/download';
import {
  attachmentName,
  listQuery,
  type EofficeAttachment,
  type EofficeDetail,
  type EofficePage,
  type EofficeTransition,
  type EofficeView,
} from './model';

export const eofficeKeys = {
  all: ['eoffice'] as const,
  list: (view: EofficeView) => ['eoffice', 'list', view] as const,
  one: (id: number) => ['eoffice', 'document', id] as const,
};

export async function listEofficeDocuments(
  view: EofficeView,
  cursor: string | undefined,
  limit: number,
): Promise<EofficePage> {
  return unwrap(await api.GET('/api/v1/eoffice/documents', { params: { query: { ...listQuery(view), cursor, limit } } }));
}

export async function getEofficeDocument(id: number): Promise<EofficeDetail> {
  return unwrap(
    await api.GET('/api/v1/eoffice/documents/{document_id}', { params: { path: { document_id: id } } }),
  );
}

export function useEofficeDocument(id: number) {
  return useQuery({ queryKey: eofficeKeys.one(id), queryFn: () => getEofficeDocument(id) });
}

/** A package's n-th attachment, with the name the server gives it. */
export async function downloadAttachment(id: number, att: EofficeAttachment): Promise<DownloadedFile> {
  const result = await api.GET('/api/v1/eoffice/documents/{document_id}/attachments/{n}', {
    params: { path: { document_id: id, n: att.n } },
    parseAs: 'blob',
  });
  const blob = unwrap(result) as Blob;
  return {
    blob,
    filename: filenameFromDisposition(result.response.headers.get('Content-Disposition'), attachmentName(att)),
  };
}

/** Route a package waiting in the inbox (attach, create_plan, map_sender, dismiss); the package as it is after. */
export async function routeEofficeDocument(id: number, body: EofficeTransition): Promise<EofficeDetail> {
  return unwrap(
    await api.POST('/api/v1/eoffice/documents/{document_id}/transitions', {
      params: { path: { document_id: id } },
      body,
    }),
  );
}

/** Plans matching `q` (title or number), newest first: the choices for attaching a package. */
export async function searchCampaigns(q: string): Promise<CampaignSummary[]> {
  return unwrap(await api.GET('/api/v1/campaigns', { params: { query: { q: q || undefined, limit: 50 } } })).items;
}

export async function getCampaignSummary(id: number): Promise<Pick<CampaignSummary, 'id' | 'title' | 'document_number'>> {
  return unwrap(await api.GET('/api/v1/campaigns/{campaign_id}', { params: { path: { campaign_id: id } } }));
}
