// What the app keeps in IndexedDB, through the maintained `idb` library (promises over IndexedDB, upgrades):
// - "snapshots": the last server copy of what the visit screens show (so they open without a connection), and
//   the bundle of visits taken into the field;
// - "photos": photos taken offline (Blobs) until they are uploaded;
// - "outbox": work recorded offline (free findings with their photos) waiting to be sent, in order.
import { openDB, type IDBPDatabase } from 'idb';

export type StoreName = 'snapshots' | 'photos' | 'outbox';

const DB_NAME = 'ocop-inspect';
/** 1: snapshots, photos; 2: outbox. */
const DB_VERSION = 2;
const STORES: StoreName[] = ['snapshots', 'photos', 'outbox'];

let opening: Promise<IDBPDatabase> | null = null;

function open(): Promise<IDBPDatabase> {
  if (!opening) {
    if (typeof indexedDB === 'undefined') return Promise.reject(new Error('IndexedDB is not available'));
    opening = openDB(DB_NAME, DB_VERSION, {
      upgrade(db) {
        for (const name of STORES) if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
      },
      // another tab holds an older version open: let it close, the next call opens again
      blocking() {
        void opening?.then((db) => db.close());
        opening = null;
      },
    });
    opening.catch(() => {
      opening = null;
    });
  }
  return opening;
}

/** The browser refused to store more (the device's storage, or the site's share of it, is full). */
export function isQuotaError(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

export const idb = {
  async get<T>(store: StoreName, key: string): Promise<T | undefined> {
    return (await open()).get(store, key) as Promise<T | undefined>;
  },
  async put(store: StoreName, key: string, value: unknown): Promise<void> {
    await (await open()).put(store, value, key);
  },
  async delete(store: StoreName, key: string): Promise<void> {
    await (await open()).delete(store, key);
  },
  /** Every value whose key starts with `prefix`, in key order. */
  async byPrefix<T>(store: StoreName, prefix: string): Promise<T[]> {
    return (await open()).getAll(store, IDBKeyRange.bound(prefix, `${prefix}\uffff`)) as Promise<T[]>;
  },
};
