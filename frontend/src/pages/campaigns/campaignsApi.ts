// All /campaigns calls (plan, workflow, units, team, schedule, checklist, tasks, local reports) in one
// place, so that small differences in the generated schema only need fixing here.
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ifMatchHeaders } from '../../api/etag';
import { ensureOk, unwrap } from '../../api/problem';
import type {
  Amendment,
  Attachment,
  Campaign,
  CampaignChecklist,
  CampaignCreate,
  CampaignPage,
  CampaignsQuery,
  CampaignTransition,
  CampaignUnit,
  CampaignUpdate,
  ChecklistItem,
  ChecklistItemIn,
  LocalReport,
  NoticeList,
  Revision,
  SuggestionPage,
  Task,
  TaskCreate,
  TaskUpdate,
  TeamMember,
  TeamMemberCreate,
  TeamMemberUpdate,
  Visit,
  VisitCreate,
  WarningList,
} from '../../api/types';
import { filenameFromDisposition, type DownloadedFile } from '../../lib/download';
import type { CursorPage } from '../../lib/useCursorList';

type Id = number;
const MAX_PAGE = 200;

/** Every item of a cursor-paginated list (the parts of one campaign are small: one or two pages). */
export async function fetchAll<T>(fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 50; guard++) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return items;
}

const path = (campaignId: Id) => ({ campaign_id: campaignId });
const withEtag = ifMatchHeaders;

// ---- query keys: everything of a campaign lives under ['campaign', id] -------------------

export const campaignKeys = {
  list: ['campaigns'] as const,
  one: (id: Id) => ['campaign', id] as const,
  part: (id: Id, part: string, ...rest: unknown[]) => ['campaign', id, part, ...rest] as const,
};

/** Reloads a campaign and all its parts (and the list), after any change: warnings, dues and states move together. */
export function useRefreshCampaign(id: Id) {
  const queryClient = useQueryClient();
  return useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: campaignKeys.one(id) });
    void queryClient.invalidateQueries({ queryKey: campaignKeys.list });
  }, [queryClient, id]);
}

// ---- campaigns --------------------------------------------------------------------------

export type CampaignFilters = Omit<CampaignsQuery, 'limit' | 'cursor'>;

export async function listCampaigns(
  filters: CampaignFilters,
  cursor: string | undefined,
  limit: number,
): Promise<CampaignPage> {
  return unwrap(await api.GET('/api/v1/campaigns', { params: { query: { ...filters, limit, cursor } } }));
}

export async function getCampaign(id: Id): Promise<Campaign> {
  return unwrap(await api.GET('/api/v1/campaigns/{campaign_id}', { params: { path: path(id) } }));
}

export async function createCampaign(body: CampaignCreate): Promise<Campaign> {
  return unwrap(await api.POST('/api/v1/campaigns', { body }));
}

export async function updateCampaign(c: Pick<Campaign, 'id' | 'version'>, changes: CampaignUpdate): Promise<Campaign> {
  const { header, headers } = withEtag(c.version);
  return unwrap(
    await api.PATCH('/api/v1/campaigns/{campaign_id}', {
      params: { path: path(c.id), header },
      headers,
      body: changes,
    }),
  );
}

export async function transitionCampaign(id: Id, body: CampaignTransition): Promise<Campaign> {
  return unwrap(await api.POST('/api/v1/campaigns/{campaign_id}/transitions', { params: { path: path(id) }, body }));
}

export async function amendCampaign(c: Pick<Campaign, 'id' | 'version'>, body: Amendment): Promise<Campaign> {
  const { header, headers } = withEtag(c.version);
  return unwrap(
    await api.POST('/api/v1/campaigns/{campaign_id}/amendments', {
      params: { path: path(c.id), header },
      headers,
      body,
    }),
  );
}

export async function listRevisions(id: Id): Promise<Revision[]> {
  return fetchAll(async (cursor) =>
    unwrap(
      await api.GET('/api/v1/campaigns/{campaign_id}/revisions', {
        params: { path: path(id), query: { limit: MAX_PAGE, cursor } },
      }),
    ),
  );
}

export function useCampaign(id: Id) {
  return useQuery({ queryKey: campaignKeys.one(id), queryFn: () => getCampaign(id) });
}

// ---- units ------------------------------------------------------------------------------

export async function listUnits(id: Id): Promise<CampaignUnit[]> {
  return fetchAll(async (cursor) =>
    unwrap(
      await api.GET('/api/v1/campaigns/{campaign_id}/units', {
        params: { path: path(id), query: { limit: MAX_PAGE, cursor } },
      }),
    ),
  );
}

export async function addUnit(id: Id, adminUnitId: Id): Promise<CampaignUnit> {
  return unwrap(
    await api.POST('/api/v1/campaigns/{campaign_id}/units', {
      params: { path: path(id) },
      body: { admin_unit_id: adminUnitId },
    }),
  );
}

export async function removeUnit(id: Id, adminUnitId: Id): Promise<void> {
  ensureOk(
    await api.DELETE('/api/v1/campaigns/{campaign_id}/units/{unit_id}', {
      params: { path: { campaign_id: id, unit_id: adminUnitId } },
    }),
  );
}

export function useUnits(id: Id) {
  return useQuery({ queryKey: campaignKeys.part(id, 'units'), queryFn: () => listUnits(id) });
}

// ---- planning help ----------------------------------------------------------------------

export async function getWarnings(id: Id): Promise<WarningList> {
  return unwrap(await api.GET('/api/v1/campaigns/{campaign_id}/warnings', { params: { path: path(id) } }));
}

/** Team and schedule warnings; `enabled` is false for callers the API answers 404 (local officers). */
export function useWarnings(id: Id, enabled: boolean) {
  return useQuery({ queryKey: campaignKeys.part(id, 'warnings'), queryFn: () => getWarnings(id), enabled });
}

export async function listSuggestions(
  id: Id,
  unitIds: Id[],
  cursor: string | undefined,
  limit: number,
): Promise<SuggestionPage> {
  return unwrap(
    await api.GET('/api/v1/campaigns/{campaign_id}/suggestions', {
      params: { path: path(id), query: { unit_id: unitIds.length ? unitIds : undefined, limit, cursor } },
    }),
  );
}

export async function getNotices(id: Id): Promise<NoticeList> {
  return unwrap(await api.GET('/api/v1/campaigns/{campaign_id}/notices', { params: { path: path(id) } }));
}

// ---- team -------------------------------------------------------------------------------

export async function listTeam(id: Id): Promise<TeamMember[]> {
  return fetchAll(async (cursor) =>
    unwrap(
      await api.GET('/api/v1/campaigns/{campaign_id}/team', {
        params: { path: path(id), query: { limit: MAX_PAGE, cursor } },
      }),
    ),
  );
}

export async function addMember(id: Id, body: TeamMemberCreate): Promise<TeamMember> {
  return unwrap(await api.POST('/api/v1/campaigns/{campaign_id}/team', { params: { path: path(id) }, body }));
}

export async function updateMember(
  id: Id,
  m: Pick<TeamMember, 'id' | 'version'>,
  changes: TeamMemberUpdate,
): Promise<TeamMember> {
  const { header, headers } = withEtag(m.version);
  return unwrap(
    await api.PATCH('/api/v1/campaigns/{campaign_id}/team/{member_id}', {
      params: { path: { campaign_id: id, member_id: m.id }, header },
      headers,
      body: changes,
    }),
  );
}

export async function removeMember(id: Id, memberId: Id): Promise<void> {
  ensureOk(
    await api.DELETE('/api/v1/campaigns/{campaign_id}/team/{member_id}', {
      params: { path: { campaign_id: id, member_id: memberId } },
    }),
  );
}

export function useTeam(id: Id, enabled = true) {
  return useQuery({ queryKey: campaignKeys.part(id, 'team'), queryFn: () => listTeam(id), enabled });
}

// ---- schedule ---------------------------------------------------------------------------

export async function listVisits(id: Id): Promise<Visit[]> {
  // the list also answers CSV/XLSX (Accept), so the generated type of the body is a union: JSON is what we ask for
  return fetchAll(
    async (cursor) =>
      unwrap(
        await api.GET('/api/v1/campaigns/{campaign_id}/visits', {
          params: { path: path(id), query: { limit: MAX_PAGE, cursor } },
        }),
      ) as CursorPage<Visit>,
  );
}

export async function createVisit(id: Id, body: VisitCreate): Promise<Visit> {
  return unwrap(await api.POST('/api/v1/campaigns/{campaign_id}/visits', { params: { path: path(id) }, body }));
}

export async function updateVisit(v: Pick<Visit, 'id' | 'version'>, changes: Partial<VisitCreate>): Promise<Visit> {
  const { header, headers } = withEtag(v.version);
  return unwrap(
    await api.PATCH('/api/v1/visits/{visit_id}', {
      params: { path: { visit_id: v.id }, header },
      headers,
      body: changes,
    }),
  );
}

export async function deleteVisit(visitId: Id): Promise<void> {
  ensureOk(await api.DELETE('/api/v1/visits/{visit_id}', { params: { path: { visit_id: visitId } } }));
}

export function useVisits(id: Id) {
  return useQuery({ queryKey: campaignKeys.part(id, 'visits'), queryFn: () => listVisits(id) });
}

// ---- checklist --------------------------------------------------------------------------

export async function getChecklist(id: Id): Promise<CampaignChecklist> {
  return unwrap(await api.GET('/api/v1/campaigns/{campaign_id}/checklist', { params: { path: path(id) } }));
}

export async function addChecklistItem(id: Id, body: ChecklistItemIn): Promise<CampaignChecklist> {
  return unwrap(
    await api.POST('/api/v1/campaigns/{campaign_id}/checklist/items', { params: { path: path(id) }, body }),
  );
}

export async function updateChecklistItem(
  id: Id,
  item: Pick<ChecklistItem, 'code' | 'version'>,
  changes: Omit<ChecklistItemIn, 'code'>,
): Promise<CampaignChecklist> {
  const { header, headers } = withEtag(item.version);
  return unwrap(
    await api.PATCH('/api/v1/campaigns/{campaign_id}/checklist/items/{code}', {
      params: { path: { campaign_id: id, code: item.code }, header },
      headers,
      body: changes,
    }),
  );
}

export async function deleteChecklistItem(id: Id, code: string): Promise<void> {
  ensureOk(
    await api.DELETE('/api/v1/campaigns/{campaign_id}/checklist/items/{code}', {
      params: { path: { campaign_id: id, code } },
    }),
  );
}

// ---- tasks ------------------------------------------------------------------------------

export async function listTasks(id: Id): Promise<Task[]> {
  return fetchAll(async (cursor) =>
    unwrap(
      await api.GET('/api/v1/campaigns/{campaign_id}/tasks', {
        params: { path: path(id), query: { limit: MAX_PAGE, cursor } },
      }),
    ),
  );
}

export async function createTask(id: Id, body: TaskCreate): Promise<Task> {
  return unwrap(await api.POST('/api/v1/campaigns/{campaign_id}/tasks', { params: { path: path(id) }, body }));
}

export async function updateTask(id: Id, task: Pick<Task, 'id' | 'version'>, changes: TaskUpdate): Promise<Task> {
  const { header, headers } = withEtag(task.version);
  return unwrap(
    await api.PATCH('/api/v1/campaigns/{campaign_id}/tasks/{task_id}', {
      params: { path: { campaign_id: id, task_id: task.id }, header },
      headers,
      body: changes,
    }),
  );
}

export function useTasks(id: Id) {
  return useQuery({ queryKey: campaignKeys.part(id, 'tasks'), queryFn: () => listTasks(id) });
}

// ---- local reports ----------------------------------------------------------------------

type ReportBody = Pick<LocalReport, 'figures' | 'results' | 'difficulties' | 'recommendations'>;

export async function listReports(id: Id): Promise<LocalReport[]> {
  return fetchAll(async (cursor) =>
    unwrap(
      await api.GET('/api/v1/campaigns/{campaign_id}/local-reports', {
        params: { path: path(id), query: { limit: MAX_PAGE, cursor } },
      }),
    ),
  );
}

export async function createReport(id: Id, adminUnitId: Id, body: ReportBody): Promise<LocalReport> {
  return unwrap(
    await api.POST('/api/v1/campaigns/{campaign_id}/local-reports', {
      params: { path: path(id) },
      body: { ...body, admin_unit_id: adminUnitId },
    }),
  );
}

export async function updateReport(
  id: Id,
  r: Pick<LocalReport, 'id' | 'version'>,
  body: ReportBody,
): Promise<LocalReport> {
  const { header, headers } = withEtag(r.version);
  return unwrap(
    await api.PATCH('/api/v1/campaigns/{campaign_id}/local-reports/{report_id}', {
      params: { path: { campaign_id: id, report_id: r.id }, header },
      headers,
      body,
    }),
  );
}

export async function reportTransition(
  id: Id,
  reportId: Id,
  to: LocalReport['status'],
  note?: string | null,
): Promise<LocalReport> {
  return unwrap(
    await api.POST('/api/v1/campaigns/{campaign_id}/local-reports/{report_id}/transitions', {
      params: { path: { campaign_id: id, report_id: reportId } },
      body: { to, note: note || null },
    }),
  );
}

export async function uploadAttachment(id: Id, reportId: Id, file: File): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, file.name);
  return unwrap(
    await api.POST('/api/v1/campaigns/{campaign_id}/local-reports/{report_id}/attachments', {
      params: { path: { campaign_id: id, report_id: reportId } },
      body: form as never,
    }),
  );
}

export async function downloadAttachment(id: Id, reportId: Id, att: Attachment): Promise<DownloadedFile> {
  const result = await api.GET(
    '/api/v1/campaigns/{campaign_id}/local-reports/{report_id}/attachments/{attachment_id}',
    {
      params: { path: { campaign_id: id, report_id: reportId, attachment_id: att.id } },
      parseAs: 'blob',
    },
  );
  const blob = unwrap(result) as unknown as Blob;
  return { blob, filename: filenameFromDisposition(result.response.headers.get('Content-Disposition'), att.filename) };
}

export function useReports(id: Id) {
  return useQuery({ queryKey: campaignKeys.part(id, 'reports'), queryFn: () => listReports(id) });
}
