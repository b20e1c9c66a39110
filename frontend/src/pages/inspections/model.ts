// Pure logic of the inspection screens (unit-tested in model.test.ts): status colours, the buttons
// for the transitions the API allows, timeline entries and compliance reasons.
import type {
  ActionStatus,
  ComplianceReason,
  ComplianceStatus,
  FindingStatus,
  Severity,
  TimelineEntry,
  VisitRecord,
  VisitStatus,
} from '../../api/types';
import { vnIso, vnParts, type NoteRule } from '../campaigns/model';

// ---- colours ------------------------------------------------------------------------------

export const VISIT_COLORS: Record<VisitStatus, string> = {
  planned: 'gray',
  in_progress: 'blue',
  submitted: 'yellow',
  approved: 'teal',
  locked: 'dark',
};

export const FINDING_COLORS: Record<FindingStatus, string> = {
  open: 'red',
  action_required: 'orange',
  response_submitted: 'yellow',
  verified: 'teal',
  closed: 'green',
  dismissed: 'gray',
  escalated: 'grape',
};

export const SEVERITY_COLORS: Record<Severity, string> = {
  observation: 'gray',
  minor: 'yellow',
  major: 'orange',
  critical: 'red',
};

export const ACTION_COLORS: Record<ActionStatus, string> = {
  open: 'orange',
  responded: 'blue',
  accepted: 'green',
};

export const COMPLIANCE_COLORS: Record<ComplianceStatus, string> = {
  compliant: 'green',
  conditional: 'yellow',
  non_compliant: 'red',
  expired: 'gray',
  revoked: 'dark',
  not_certified: 'gray',
};

/** Finding states in which the matter is still being dealt with. */
export const ACTIVE_FINDINGS: readonly FindingStatus[] = ['open', 'action_required', 'response_submitted', 'escalated'];

// ---- visit workflow -----------------------------------------------------------------------

export type VisitActionKey = 'start' | 'submit' | 'approve' | 'return' | 'lock' | 'reopen';

export interface VisitAction {
  to: VisitStatus;
  key: VisitActionKey;
  color: string;
  variant: 'filled' | 'light';
  note: NoteRule;
  /** Asks before doing it (everything but starting). */
  confirm: boolean;
}

function visitActionKey(from: VisitStatus, to: VisitStatus): VisitActionKey | null {
  if (to === 'in_progress') return from === 'planned' ? 'start' : from === 'submitted' ? 'return' : 'reopen';
  if (to === 'submitted') return 'submit';
  if (to === 'approved') return 'approve';
  if (to === 'locked') return 'lock';
  return null;
}

const VISIT_ORDER: VisitStatus[] = ['submitted', 'approved', 'locked', 'in_progress'];

/** The workflow buttons of a visit for the transitions the API allows this caller, forward moves first. */
export function visitActions(from: VisitStatus, allowed: readonly string[]): VisitAction[] {
  const out: VisitAction[] = [];
  const order = from === 'planned' ? ['in_progress' as const] : VISIT_ORDER;
  for (const to of order) {
    if (!allowed.includes(to)) continue;
    const key = visitActionKey(from, to);
    if (!key) continue;
    const backward = key === 'return' || key === 'reopen';
    out.push({
      to,
      key,
      color: backward ? 'orange' : 'green',
      variant: backward ? 'light' : 'filled',
      note: backward ? 'required' : key === 'start' ? 'none' : 'optional',
      confirm: key !== 'start',
    });
  }
  return out;
}

/** `YYYY-MM-DDTHH:mm` (a datetime-local input, Vietnam time) of an instant. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const p = vnParts(iso);
  return `${p.date}T${p.time}`;
}

/** The instant (ISO, +07:00) of a datetime-local value typed in Vietnam time; null when cleared. */
export function fromLocalInput(value: string): string | null {
  const [date, time] = value.split('T');
  return date && time ? vnIso(date, time.slice(0, 5)) : null;
}

/** Answers, record and photos can be changed: the visit is being recorded and the caller is on its team. */
export function canRecordVisit(record: Pick<VisitRecord, 'status' | 'allowed_transitions'> | undefined): boolean {
  return record?.status === 'in_progress' && record.allowed_transitions.includes('submitted');
}

// ---- finding workflow ---------------------------------------------------------------------

export type FindingActionKey = 'require' | 'verify' | 'close' | 'escalate' | 'dismiss';

export interface FindingAction {
  to: FindingStatus;
  key: FindingActionKey;
  color: string;
  variant: 'filled' | 'light' | 'outline';
  note: NoteRule;
  /** Escalating also asks what is proposed (revocation or a sanction). */
  escalation: boolean;
}

const FINDING_ACTIONS: FindingAction[] = [
  { to: 'action_required', key: 'require', color: 'orange', variant: 'filled', note: 'required', escalation: false },
  { to: 'verified', key: 'verify', color: 'teal', variant: 'filled', note: 'optional', escalation: false },
  { to: 'closed', key: 'close', color: 'green', variant: 'filled', note: 'optional', escalation: false },
  { to: 'escalated', key: 'escalate', color: 'grape', variant: 'light', note: 'required', escalation: true },
  { to: 'dismissed', key: 'dismiss', color: 'gray', variant: 'outline', note: 'required', escalation: false },
];

/** The buttons for the finding transitions the API allows this caller. */
export function findingActions(allowed: readonly string[]): FindingAction[] {
  return FINDING_ACTIONS.filter((a) => allowed.includes(a.to));
}

// ---- timeline -----------------------------------------------------------------------------

export interface TimelineView {
  /** i18n key of what happened. */
  key: string;
  /** A status to name in the text (finding.status). */
  status?: string;
  /** The note, comment or answer that came with it. */
  text: string | null;
  color: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** How one audit entry of a finding reads on its timeline. */
export function timelineView(entry: Pick<TimelineEntry, 'action' | 'detail'>): TimelineView {
  const d = (entry.detail ?? {}) as Record<string, unknown>;
  switch (entry.action) {
    case 'finding.create':
      return { key: 'findings.timeline.created', text: str(d.description), color: 'red' };
    case 'finding.update':
      return { key: 'findings.timeline.updated', text: null, color: 'gray' };
    case 'finding.status': {
      const status = str(d.status) ?? '';
      return {
        key: 'findings.timeline.status',
        status,
        text: str(d.note),
        color: FINDING_COLORS[status as FindingStatus] ?? 'gray',
      };
    }
    case 'action.create':
      return { key: 'findings.timeline.actionCreated', text: str(d.description), color: 'orange' };
    case 'action.update':
      return { key: 'findings.timeline.actionUpdated', text: str(d.description), color: 'gray' };
    case 'action.respond':
      return { key: 'findings.timeline.actionResponded', text: str(d.response), color: 'blue' };
    case 'action.verify':
      return d.accepted === false
        ? { key: 'findings.timeline.actionRejected', text: str(d.verification_comment), color: 'red' }
        : { key: 'findings.timeline.actionAccepted', text: str(d.verification_comment), color: 'green' };
    default:
      return { key: 'findings.timeline.other', text: null, color: 'gray' };
  }
}

// ---- compliance ---------------------------------------------------------------------------

const SEVERITY_WORD = /\b(observation|minor|major|critical)\b/;

/**
 * A reason's text for display: the API writes the severity in English inside the Vietnamese sentence
 * ("Phát hiện minor chưa khắc phục: …"); `severityLabel` puts it in the user's language.
 */
export function reasonText(reason: Pick<ComplianceReason, 'detail'>, severityLabel: (s: Severity) => string): string {
  return reason.detail.replace(SEVERITY_WORD, (s) => severityLabel(s as Severity));
}

/** Whether `value` is a `YYYY-MM-DD` day (the "Trạng thái tại ngày" box may be half-typed). */
export function isIsoDate(value: string | null | undefined): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
}
