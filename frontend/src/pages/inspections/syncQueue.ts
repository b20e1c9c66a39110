// Sending what was typed offline (unit-tested in syncQueue.test.ts): one run at a time, a short
// pause after typing, and retries with a growing delay while the server cannot be reached. What a
// run sends is idempotent (PUT of answers, PATCH of the record), so running twice is harmless.

/** done: nothing left to send; retry: the server could not be reached; stop: the server refused (shown). */
export type RunResult = 'done' | 'retry' | 'stop';

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** 2 s, 4 s, 8 s … at most a minute. */
export function retryDelay(attempt: number): number {
  return Math.min(60_000, 2_000 * 2 ** Math.max(0, attempt));
}

export interface SyncQueueOptions {
  /** Pause after the last change before sending. */
  debounceMs: number;
  timers?: Timers;
  /** Called when a run starts (true) and ends (false). */
  onBusy?: (busy: boolean) => void;
}

export class SyncQueue {
  private running: Promise<RunResult> | null = null;
  private queued: Promise<RunResult> | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private disposed = false;
  private readonly timers: Timers;

  constructor(
    private readonly run: () => Promise<RunResult>,
    private readonly options: SyncQueueOptions,
  ) {
    this.timers = options.timers ?? realTimers;
  }

  /** A sync soon: after the pause (typing calls this on every change), or after `delay` ms. */
  request(delay = this.options.debounceMs): void {
    if (this.disposed) return;
    this.clearTimer();
    this.timer = this.timers.set(() => {
      this.timer = null;
      void this.flush();
    }, delay);
  }

  /** A sync now (after the run in progress, if any); resolves with its result. */
  flush(): Promise<RunResult> {
    if (this.disposed) return Promise.resolve('stop');
    this.clearTimer();
    if (this.running) {
      // one more run after the current one, shared by every caller in the meantime
      if (!this.queued) {
        this.queued = this.running.then(() => {
          this.queued = null;
          return this.start();
        });
      }
      return this.queued;
    }
    return this.start();
  }

  /** Whether a run is in progress. */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Stops the timers (the screen is gone); `resume` undoes it (React may mount a screen twice). */
  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  resume(): void {
    this.disposed = false;
  }

  private start(): Promise<RunResult> {
    this.clearTimer();
    this.options.onBusy?.(true);
    const current = this.run()
      .catch((): RunResult => 'retry')
      .then((result) => {
        this.running = null;
        this.options.onBusy?.(false);
        if (result === 'retry' && !this.disposed && !this.queued) {
          this.timer = this.timers.set(() => {
            this.timer = null;
            void this.flush();
          }, retryDelay(this.attempt++));
        } else if (result !== 'retry') {
          this.attempt = 0;
        }
        return result;
      });
    this.running = current;
    return current;
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      this.timers.clear(this.timer);
      this.timer = null;
    }
  }
}

/** What the screen says about the typed data: all on the server, kept here, being sent, or refused. */
export type SyncState = 'sent' | 'local' | 'sending' | 'blocked';

export function syncState({ pending, busy, blocked }: { pending: number; busy: boolean; blocked: boolean }): SyncState {
  if (pending === 0) return 'sent';
  if (busy) return 'sending';
  return blocked ? 'blocked' : 'local';
}
