// Who may see and do what on the campaign screens. The API enforces the same rules; this only hides
// tabs and buttons a caller could not use.
import type { CampaignStatus } from '../../api/types';
import { ACTIVE_STATUSES, PUBLISHED_OPEN } from './model';

export const CAMPAIGN_TABS = ['plan', 'team', 'schedule', 'checklist', 'tasks', 'reports', 'documents'] as const;
export type CampaignTab = (typeof CAMPAIGN_TABS)[number];

type Roles = readonly string[] | null | undefined;
const has = (roles: Roles, ...wanted: string[]) => (roles ?? []).some((r) => wanted.includes(r));

/** Coordinators and administrators draft plans and build the team and schedule. */
export const canCreateCampaign = (roles: Roles) => has(roles, 'admin', 'coordinator');

/** A local officer (and nothing wider) sees only their units' parts of issued plans. */
export const isLocalOnly = (roles: Roles) =>
  has(roles, 'local_officer') && !has(roles, 'admin', 'coordinator', 'leader');

export interface CampaignAccess {
  tabs: CampaignTab[];
  /** Team, schedule, units and tasks can be changed (coordinator/admin, campaign not closed). */
  editParts: boolean;
  /** Team and schedule warnings (not for local officers: the API answers 404). */
  warnings: boolean;
  /** The ranked list of producers to visit (coordinator/admin). */
  suggestions: boolean;
  /** Amend an issued plan (leader/admin). */
  amend: boolean;
  /** Write a unit's report (local officer, coordinator, admin) while the plan is issued and open. */
  writeReport: boolean;
  /** Accept or return a submitted report. */
  reviewReport: boolean;
}

export function campaignAccess(roles: Roles, status: CampaignStatus): CampaignAccess {
  const local = isLocalOnly(roles);
  const editor = canCreateCampaign(roles);
  return {
    tabs: local ? ['plan', 'schedule', 'tasks', 'reports', 'documents'] : [...CAMPAIGN_TABS],
    editParts: editor && ACTIVE_STATUSES.includes(status),
    warnings: !local,
    suggestions: editor && ACTIVE_STATUSES.includes(status),
    amend: has(roles, 'leader', 'admin') && PUBLISHED_OPEN.includes(status),
    writeReport: has(roles, 'local_officer', 'admin', 'coordinator') && PUBLISHED_OPEN.includes(status),
    reviewReport: has(roles, 'coordinator', 'leader', 'admin'),
  };
}
