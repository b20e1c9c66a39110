import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { retryDelay, SyncQueue, syncState, type RunResult } from './syncQueue';

/** A run whose results are given in turn (then 'done'), counting calls; each takes `ms`. */
function runner(results: (RunResult | Error)[] = [], ms = 0) {
  const calls = { count: 0, active: 0, maxActive: 0 };
  const run = vi.fn(async (): Promise<RunResult> => {
    calls.count++;
    calls.active++;
    calls.maxActive = Math.max(calls.maxActive, calls.active);
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    else await Promise.resolve();
    calls.active--;
    const next = results.shift() ?? 'done';
    if (next instanceof Error) throw next;
    return next;
  });
  return { run, calls };
}

describe('SyncQueue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits for a pause in typing, then sends once', async () => {
    const { run } = runner();
    const q = new SyncQueue(run, { debounceMs: 1000 });
    q.request();
    await vi.advanceTimersByTimeAsync(500);
    q.request();
    await vi.advanceTimersByTimeAsync(900);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(200);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('sends at once on flush and never runs twice at the same time', async () => {
    const { run, calls } = runner([], 100);
    const busy: boolean[] = [];
    const q = new SyncQueue(run, { debounceMs: 1000, onBusy: (b) => busy.push(b) });
    const first = q.flush();
    const second = q.flush();
    const third = q.flush();
    expect(q.busy).toBe(true);
    await vi.advanceTimersByTimeAsync(250);
    await expect(first).resolves.toBe('done');
    await expect(second).resolves.toBe('done');
    expect(second).toBe(third); // callers during a run share the one run after it
    expect(calls.count).toBe(2);
    expect(calls.maxActive).toBe(1);
    expect(busy).toEqual([true, false, true, false]);
  });

  it('retries with a growing delay while the server cannot be reached', async () => {
    const { run } = runner(['retry', 'retry', new TypeError('Failed to fetch'), 'done']);
    const q = new SyncQueue(run, { debounceMs: 10 });
    await q.flush();
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(retryDelay(0));
    expect(run).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(retryDelay(1) - 1);
    expect(run).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(3); // threw: treated as unreachable
    await vi.advanceTimersByTimeAsync(retryDelay(2));
    expect(run).toHaveBeenCalledTimes(4);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(run).toHaveBeenCalledTimes(4); // done: no more retries
  });

  it('does not retry a refusal, and a flush (back online) cuts the wait short', async () => {
    const stop = runner(['stop']);
    const q1 = new SyncQueue(stop.run, { debounceMs: 10 });
    await q1.flush();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(stop.run).toHaveBeenCalledTimes(1);

    const offline = runner(['retry', 'retry', 'retry']);
    const q2 = new SyncQueue(offline.run, { debounceMs: 10 });
    await q2.flush();
    await vi.advanceTimersByTimeAsync(retryDelay(0));
    await q2.flush(); // the 'online' event
    expect(offline.run).toHaveBeenCalledTimes(3);
  });

  it('stops its timers when disposed and starts again when resumed', async () => {
    const { run } = runner();
    const q = new SyncQueue(run, { debounceMs: 100 });
    q.request();
    q.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).not.toHaveBeenCalled();
    await expect(q.flush()).resolves.toBe('stop');
    q.resume();
    q.request();
    await vi.advanceTimersByTimeAsync(100);
    expect(run).toHaveBeenCalledTimes(1);
  });
});

describe('retryDelay and syncState', () => {
  it('doubles from 2 s up to a minute', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map(retryDelay)).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000]);
  });

  it('says where the typed data stands', () => {
    expect(syncState({ pending: 0, busy: false, blocked: false })).toBe('sent');
    expect(syncState({ pending: 0, busy: true, blocked: false })).toBe('sent');
    expect(syncState({ pending: 2, busy: false, blocked: false })).toBe('local');
    expect(syncState({ pending: 2, busy: true, blocked: false })).toBe('sending');
    expect(syncState({ pending: 2, busy: false, blocked: true })).toBe('blocked');
  });
});
