// A very small IndexedDB wrapper: two key-value stores, promises instead of callbacks.
// "snapshots" keeps the last server copy of what the visit screen shows (so it reloads offline);
// "photos" keeps photos taken offline (Blobs) until they are uploaded.

export type StoreName = 'snapshots' | 'photos';

const DB_NAME = 'ocop-inspect';
const DB_VERSION = 1;
const STORES: StoreName[] = ['snapshots', 'photos'];

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  if (!opening) {
    opening = new Promise<IDBDatabase>((resolve, reject) => {
      if (typeof indexedDB === 'undefined') {
        reject(new Error('IndexedDB is not available'));
        return;
      }
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        for (const name of STORES) {
          if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name);
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    opening.catch(() => {
      opening = null;
    });
  }
  return opening;
}

async function run<T>(store: StoreName, mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const request = op(tx.objectStore(store));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error ?? request.error);
    tx.onabort = () => reject(tx.error ?? request.error);
  });
}

export const idb = {
  get<T>(store: StoreName, key: string): Promise<T | undefined> {
    return run(store, 'readonly', (s) => s.get(key) as IDBRequest<T | undefined>);
  },
  put(store: StoreName, key: string, value: unknown): Promise<void> {
    return run(store, 'readwrite', (s) => s.put(value, key)).then(() => undefined);
  },
  delete(store: StoreName, key: string): Promise<void> {
    return run(store, 'readwrite', (s) => s.delete(key)).then(() => undefined);
  },
  /** Every value whose key starts with `prefix`. */
  async byPrefix<T>(store: StoreName, prefix: string): Promise<T[]> {
    const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
    return run(store, 'readonly', (s) => s.getAll(range) as IDBRequest<T[]>);
  },
};
