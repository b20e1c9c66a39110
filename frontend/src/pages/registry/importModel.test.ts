import { describe, expect, it } from 'vitest';
import type { ImportJob } from '../../api/types';
import { isImportActive, mergeJob, progressPercent, summaryOf, writtenRows } from './importModel';

const job = (over: Partial<ImportJob>): ImportJob => ({
  id: 1,
  kind: 'products',
  filename: 'a.csv',
  size: 10,
  status: 'queued',
  total_rows: 0,
  processed_rows: 0,
  summary: null,
  rows: null,
  error: null,
  created_at: '2026-01-01T00:00:00Z',
  finished_at: null,
  committed_at: null,
  ...over,
});

describe('import helpers', () => {
  it('polls while the server works', () => {
    expect(['queued', 'validating', 'committing'].map(isImportActive)).toEqual([true, true, true]);
    expect(['ready', 'invalid', 'committed', 'failed', null].map(isImportActive)).toEqual([false, false, false, false, false]);
  });

  it('computes progress from processed/total rows', () => {
    expect(progressPercent({ processed_rows: 0, total_rows: 0 })).toBeNull();
    expect(progressPercent({ processed_rows: 50, total_rows: 200 })).toBe(25);
    expect(progressPercent({ processed_rows: 300, total_rows: 200 })).toBe(100);
  });

  it('reads the summary and the applied counts', () => {
    expect(summaryOf(job({}))).toBeNull();
    const s = summaryOf(
      job({ summary: { total: 3, create: 1, update: 1, unchanged: 1, error: 0, applied: { products_created: 1 } } }),
    )!;
    expect(s).toEqual({ total: 3, create: 1, update: 1, unchanged: 1, error: 0, applied: { products_created: 1 } });
    expect(writtenRows(s)).toBe(2);
  });

  it('keeps the rows already shown when an answer has none', () => {
    const rows = [{ row: 2, outcome: 'create' as const, errors: [], warnings: [] }];
    const prev = job({ status: 'ready', rows });
    expect(mergeJob(prev, job({ status: 'committing' })).rows).toBe(rows);
    expect(mergeJob(prev, job({ id: 2, status: 'queued' })).rows).toBeNull();
  });
});
