// Who may see and do what on the inspection screens. The API enforces the same rules; this only
// hides what a caller could not use.
import type { CorrectiveAction } from '../../api/types';

type Roles = readonly string[] | null | undefined;
const has = (roles: Roles, ...wanted: string[]) => (roles ?? []).some((r) => wanted.includes(r));

/** Roles that see findings across the province (the API narrows inspectors to their campaigns). */
const INSIDERS = ['admin', 'coordinator', 'leader', 'viewer', 'inspector'];

/**
 * Local officers and producers (and nothing wider): they see the findings about them, never the
 * team's working record (answers, visit evidence) nor internal notes.
 */
export const isOutsider = (roles: Roles) => !has(roles, ...INSIDERS);

/** A producer's representative and nothing else: the findings page is "Phát hiện của tôi". */
export const isProducerOnly = (roles: Roles) => has(roles, 'producer') && !has(roles, ...INSIDERS, 'local_officer');

/** Opening a visit of the schedule (its record and checklist): the inspection side, not local officers. */
export const canOpenVisits = (roles: Roles) => !isOutsider(roles);

export interface FindingAccess {
  /** Add actions (the campaign's team, or a coordinator). */
  manage: boolean;
  /** Accept or reject answers to actions (the campaign's team). */
  verify: boolean;
  /** Attach evidence to the finding (the team, or the owner of an action still to answer). */
  upload: boolean;
}

export function findingAccess(roles: Roles, inTeam: boolean, actions: readonly CorrectiveAction[]): FindingAccess {
  return {
    manage: inTeam || has(roles, 'coordinator'),
    verify: inTeam,
    upload: inTeam || actions.some((a) => canRespond(roles, a)),
  };
}

/** Whether the caller answers `action`: the producer's representative, or the unit's local officer. */
export function ownsAction(roles: Roles, action: Pick<CorrectiveAction, 'owner_type'>): boolean {
  return action.owner_type === 'unit' ? has(roles, 'local_officer') : has(roles, 'producer');
}

/** An open action the caller owns: the answer form shows. */
export const canRespond = (roles: Roles, action: Pick<CorrectiveAction, 'owner_type' | 'status'>) =>
  action.status === 'open' && ownsAction(roles, action);
