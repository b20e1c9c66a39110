// Pure helpers for the import screen (unit-tested in importModel.test.ts).
import type { ImportJob, ImportStatus } from '../../api/types';

/** Statuses during which the server is still working: the screen polls and shows progress. */
export const ACTIVE_STATUSES: readonly ImportStatus[] = ['queued', 'validating', 'committing'];

export const POLL_MS = 700;

export function isImportActive(status: string | null | undefined): boolean {
  return status != null && (ACTIVE_STATUSES as readonly string[]).includes(status);
}

/** Percentage of rows processed, or null when the total is not known yet. */
export function progressPercent(job: Pick<ImportJob, 'processed_rows' | 'total_rows'>): number | null {
  if (!job.total_rows || job.total_rows <= 0) return null;
  return Math.max(0, Math.min(100, Math.round((job.processed_rows / job.total_rows) * 100)));
}

export interface ImportSummary {
  total: number;
  create: number;
  update: number;
  unchanged: number;
  error: number;
  /** After a commit: what was written (producers_created, products_updated, ...). */
  applied: Record<string, number> | null;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function summaryOf(job: Pick<ImportJob, 'summary'>): ImportSummary | null {
  const s = job.summary as Record<string, unknown> | null | undefined;
  if (!s) return null;
  const applied =
    s.applied && typeof s.applied === 'object'
      ? Object.fromEntries(Object.entries(s.applied as Record<string, unknown>).map(([k, v]) => [k, num(v)]))
      : null;
  return {
    total: num(s.total),
    create: num(s.create),
    update: num(s.update),
    unchanged: num(s.unchanged),
    error: num(s.error),
    applied,
  };
}

/** Rows a commit wrote (new or changed); unchanged rows need no writing. */
export function writtenRows(summary: ImportSummary): number {
  return summary.create + summary.update;
}

/** The commit answer and some polls carry no rows: keep the ones already shown. */
export function mergeJob(prev: ImportJob | undefined, next: ImportJob): ImportJob {
  if (prev && prev.id === next.id && next.rows == null && prev.rows != null) return { ...next, rows: prev.rows };
  return next;
}
