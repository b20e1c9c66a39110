// What the visit screen keeps in IndexedDB: the last server copy of each part it shows (so that a
// reload without a connection still shows the visit), and the photos taken but not yet uploaded.
import { isNetworkError } from '../../api/problem';
import { idb } from '../../lib/idb';

// ---- snapshots ----------------------------------------------------------------------------

interface Snapshot<T> {
  data: T;
  savedAt: number;
}

export function saveSnapshot(key: string, data: unknown): void {
  idb.put('snapshots', key, { data, savedAt: Date.now() } satisfies Snapshot<unknown>).catch(() => {
    /* no IndexedDB (private window): the screen still works online */
  });
}

/**
 * `fetcher`'s result, kept under `key`; when the server cannot be reached, the copy kept last time
 * (the error otherwise).
 */
export async function withSnapshot<T>(key: string, fetcher: () => Promise<T>): Promise<T> {
  try {
    const data = await fetcher();
    saveSnapshot(key, data);
    return data;
  } catch (err) {
    if (isNetworkError(err)) {
      const saved = await idb.get<Snapshot<T>>('snapshots', key).catch(() => undefined);
      if (saved) return saved.data;
    }
    throw err;
  }
}

// ---- photos taken offline -----------------------------------------------------------------

export interface PendingPhoto {
  id: string;
  userId: number;
  visitId: number;
  itemCode: string | null;
  filename: string;
  blob: Blob;
  /** When it was taken (ISO with offset). */
  capturedAt: string;
  /** Why the server refused it (too large, not an image): kept until removed. */
  error: string | null;
}

const photoPrefix = (userId: number, visitId: number) => `${userId}:${visitId}:`;
const photoKey = (p: Pick<PendingPhoto, 'userId' | 'visitId' | 'id'>) => `${photoPrefix(p.userId, p.visitId)}${p.id}`;

export function newPhotoId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** Keeps the photo; false when IndexedDB refused (it is then only in memory until uploaded). */
export async function keepPhoto(photo: PendingPhoto): Promise<boolean> {
  try {
    await idb.put('photos', photoKey(photo), photo);
    return true;
  } catch {
    return false;
  }
}

export async function forgetPhoto(photo: PendingPhoto): Promise<void> {
  await idb.delete('photos', photoKey(photo)).catch(() => undefined);
}

export async function keptPhotos(userId: number, visitId: number): Promise<PendingPhoto[]> {
  try {
    const photos = await idb.byPrefix<PendingPhoto>('photos', photoPrefix(userId, visitId));
    return photos.sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
  } catch {
    return [];
  }
}
