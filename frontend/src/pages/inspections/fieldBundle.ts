// "Mang lịch đi thực địa": the caller's coming visits with everything their screens show (GET /me/visits/offline),
// kept in IndexedDB. Each visit's parts are also kept as the snapshots the visit screen falls back to without a
// connection, so that a visit never opened online opens offline.
import { useCallback, useEffect, useState } from 'react';
import { idb } from '../../lib/idb';
import { getOfflineBundle, type OfflineBundle, type OfflineProducer } from './inspectionsApi';

export interface KeptBundle {
  data: OfflineBundle;
  savedAt: number;
}

export const bundleKey = (userId: number) => `${userId}:bundle`;
/** The IndexedDB key of the server copy of a part of a visit (per user: what one may see differs). */
export const snapshotKey = (userId: number, part: string, id: number) => `${userId}:${part}:${id}`;

/** Fetches the bundle and keeps it (throws when offline, or when the device refuses to store it). */
export async function takeVisitsOffline(userId: number, days?: number): Promise<KeptBundle> {
  const data = await getOfflineBundle(days);
  const savedAt = Date.now();
  const put = (part: string, id: number, value: unknown) =>
    idb.put('snapshots', snapshotKey(userId, part, id), { data: value, savedAt });
  for (const v of data.visits) {
    const id = v.visit.id;
    await put('visit', id, v.visit);
    await put('record', id, v.record);
    await put('answers', id, { items: v.answers });
    await put('evidence', id, v.evidence);
  }
  for (const c of data.checklists) await put('checklist', c.campaign_id, c.checklist);
  const kept = { data, savedAt };
  await idb.put('snapshots', bundleKey(userId), kept);
  return kept;
}

export async function keptBundle(userId: number): Promise<KeptBundle | null> {
  return (await idb.get<KeptBundle>('snapshots', bundleKey(userId)).catch(() => undefined)) ?? null;
}

/** The producers (with products) a visit goes to, from the bundle. */
export function bundleProducers(kept: KeptBundle | null, producerIds: readonly number[]): OfflineProducer[] {
  return (kept?.data.producers ?? []).filter((p) => producerIds.includes(p.producer.id));
}

/** The kept bundle, refreshed on mount and whenever the connection comes back. */
export function useFieldBundle(userId: number | undefined) {
  const [kept, setKept] = useState<KeptBundle | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const refresh = useCallback(async () => {
    if (userId == null) return;
    setRefreshing(true);
    try {
      setKept(await takeVisitsOffline(userId));
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setRefreshing(false);
    }
  }, [userId]);

  useEffect(() => {
    if (userId == null) return;
    let live = true;
    void keptBundle(userId).then((k) => {
      if (live && k) setKept((now) => now ?? k);
    });
    if (typeof navigator === 'undefined' || navigator.onLine) void refresh();
    const up = () => void refresh();
    window.addEventListener('online', up);
    return () => {
      live = false;
      window.removeEventListener('online', up);
    };
  }, [userId, refresh]);

  return { kept, refreshing, error, refresh };
}
