// Work recorded in the field without a connection and sent later, in the order it was recorded: free findings
// with their photos. Each entry is kept in IndexedDB (a reload, a closed tab or an app update keeps it) under a
// key that sorts by the time it was recorded; it carries the Idempotency-Key its finding is sent with, and each
// photo its own, so that sending again after a lost answer never makes a second finding or photo.
import { ApiError, isNetworkError } from '../../api/problem';
import type { Finding } from '../../api/types';
import { idb, isQuotaError } from '../../lib/idb';
import { createFinding, uploadFindingEvidence, type FindingCreate, type Position } from './inspectionsApi';

/** The server's limit on an upload (OCOP_UPLOAD_MAX_BYTES) and the kinds of photo it takes. */
export const PHOTO_MAX_BYTES = 20 * 1024 * 1024;
export const PHOTO_TYPES: Record<string, readonly string[]> = {
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
  'image/webp': ['.webp'],
  'image/heic': ['.heic'],
};

/** Why the device refuses a photo before it waits in the queue (null: accepted). */
export function photoProblem(file: Pick<File, 'name' | 'size' | 'type'>, maxBytes = PHOTO_MAX_BYTES) {
  const name = file.name.toLowerCase();
  const byType = file.type in PHOTO_TYPES;
  const byName = !file.type && Object.values(PHOTO_TYPES).some((exts) => exts.some((e) => name.endsWith(e)));
  if (!byType && !byName) return 'type' as const;
  if (file.size > maxBytes) return 'size' as const;
  if (file.size === 0) return 'empty' as const;
  return null;
}

export interface OutboxPhoto {
  id: string;
  filename: string;
  blob: Blob;
  capturedAt: string;
  position: Position | null;
  productId: number | null;
  /** Uploaded (the entry stays until every photo is). */
  sent: boolean;
}

export interface Failure {
  status: number;
  code: string | null;
  message: string;
  at: string;
}

export interface OutboxEntry {
  /** The Idempotency-Key of the finding. */
  key: string;
  userId: number;
  visitId: number;
  /** Milliseconds since the epoch when it was recorded: the sending order. */
  seq: number;
  kind: 'finding';
  body: FindingCreate;
  photos: OutboxPhoto[];
  /** The finding once the server made it. */
  findingId: number | null;
  /** Why the server refused it (sending again will not cure it): shown until retried or discarded. */
  failure: Failure | null;
}

const storeKey = (e: Pick<OutboxEntry, 'userId' | 'seq' | 'key'>) =>
  `${e.userId}:${String(e.seq).padStart(15, '0')}:${e.key}`;

export function newKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** The entries in the order they are sent: as recorded. */
export function inOrder<T extends Pick<OutboxEntry, 'seq' | 'key'>>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => a.seq - b.seq || a.key.localeCompare(b.key));
}

/** What waits to be sent (not refused), and what the server refused. */
export function split(entries: readonly OutboxEntry[]) {
  return {
    waiting: inOrder(entries.filter((e) => !e.failure)),
    failed: inOrder(entries.filter((e) => e.failure)),
  };
}

const listeners = new Set<() => void>();
/** Called whenever the outbox changes (the screens that show it re-read it). */
export function onOutboxChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
const changed = () => listeners.forEach((fn) => fn());

/**
 * Keeps an entry. Throws when the device refuses to store it (quota: `isQuotaError`): the caller keeps what
 * was typed on screen and says so; nothing already kept is touched.
 */
export async function keep(entry: OutboxEntry): Promise<void> {
  await idb.put('outbox', storeKey(entry), entry);
  changed();
}

export async function discard(entry: OutboxEntry): Promise<void> {
  await idb.delete('outbox', storeKey(entry));
  changed();
}

export async function outbox(userId: number, visitId?: number): Promise<OutboxEntry[]> {
  const all = await idb.byPrefix<OutboxEntry>('outbox', `${userId}:`).catch(() => [] as OutboxEntry[]);
  return inOrder(visitId == null ? all : all.filter((e) => e.visitId === visitId));
}

/** A refusal as kept with the entry. */
export function failureOf(err: unknown): Failure {
  const at = new Date().toISOString();
  if (err instanceof ApiError) return { status: err.status, code: err.code ?? null, message: err.message, at };
  return { status: 0, code: null, message: err instanceof Error ? err.message : String(err), at };
}

export type SendResult = 'done' | 'retry' | 'failed';

/**
 * Sends one entry: the finding (with its Idempotency-Key), then each photo not sent yet. Progress is kept after
 * each step, so that a dropped connection resumes where it stopped.
 */
export async function send(entry: OutboxEntry, onFinding?: (f: Finding) => void): Promise<SendResult> {
  let current = { ...entry, failure: null };
  try {
    if (current.findingId == null) {
      const f = await createFinding(current.body, current.key);
      onFinding?.(f);
      current = { ...current, findingId: f.id };
      await keep(current);
    }
    for (const photo of current.photos.filter((p) => !p.sent)) {
      await uploadFindingEvidence(current.findingId!, {
        file: photo.blob,
        filename: photo.filename,
        capturedAt: photo.capturedAt,
        productId: photo.productId,
        position: photo.position,
        key: `${current.key}:${photo.id}`,
      });
      current = { ...current, photos: current.photos.map((p) => (p.id === photo.id ? { ...p, sent: true } : p)) };
      await keep(current);
    }
    await discard(current);
    return 'done';
  } catch (err) {
    if (isNetworkError(err) || (err instanceof ApiError && (err.status >= 500 || err.status === 409 || err.status === 429))) {
      return 'retry'; // the server could not take it now (409: the same key still being processed)
    }
    if (isQuotaError(err)) return 'retry';
    await keep({ ...current, failure: failureOf(err) }).catch(() => undefined);
    return 'failed';
  }
}

/** Sends what waits, in order (of one visit, or all); stops at the first that must wait for the connection. */
export async function sendAll(userId: number, visitId?: number, onFinding?: (f: Finding) => void): Promise<SendResult> {
  let result: SendResult = 'done';
  for (const entry of split(await outbox(userId, visitId)).waiting) {
    const r = await send(entry, onFinding);
    if (r === 'retry') return 'retry';
    if (r === 'failed') result = 'failed';
  }
  return result;
}
