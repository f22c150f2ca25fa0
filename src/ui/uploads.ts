// Uploaded streams kept in this browser (IndexedDB), so a reload or a copied link brings them back: the
// link names an upload by a fingerprint of its bytes (`dataset=upload:<fingerprint>`), never by its
// contents. Files over MAX_UPLOAD_BYTES, or beyond MAX_TOTAL_BYTES together, are not kept (the page says
// so); the Dataset panel lists what is kept and forgets any of it on request.

/** the hash value of an upload: `upload:` and 16 hex digits */
export const UPLOAD_PREFIX = 'upload:';
export const UPLOAD_NAME = /^upload:[0-9a-f]{16}$/;
/** one kept upload at most this big */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
/** all kept uploads together at most this big: the oldest are forgotten first to make room */
export const MAX_TOTAL_BYTES = 300 * 1024 * 1024;

const DB_NAME = 'tgnn-uploads';
const STORE = 'files';

export interface KeptUpload {
  /** `upload:<16 hex>` */
  readonly key: string;
  readonly name: string;
  readonly size: number;
  /** ms since 1970 */
  readonly savedAt: number;
}

interface StoredUpload extends KeptUpload {
  readonly blob: Blob;
}

/** the bytes a fingerprint reads: the size, the first and the last MiB */
const EDGE_BYTES = 1024 * 1024;

/**
 * `upload:` + the first 16 hex digits of SHA-256 over the file's size, its first and its last MiB: the
 * same file gives the same name under any file name, cheaply for a file of any size.
 */
export async function uploadKey(file: Blob): Promise<string> {
  const size = new Uint8Array(8);
  new DataView(size.buffer).setFloat64(0, file.size);
  const head = new Uint8Array(await file.slice(0, EDGE_BYTES).arrayBuffer());
  const tail = file.size > EDGE_BYTES ? new Uint8Array(await file.slice(Math.max(EDGE_BYTES, file.size - EDGE_BYTES)).arrayBuffer()) : new Uint8Array(0);
  const all = new Uint8Array(size.length + head.length + tail.length);
  all.set(size, 0);
  all.set(head, size.length);
  all.set(tail, size.length + head.length);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return UPLOAD_PREFIX + Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function open(): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('this browser keeps no files (no IndexedDB)'));
  const r = indexedDB.open(DB_NAME, 1);
  r.onupgradeneeded = () => {
    r.result.createObjectStore(STORE, { keyPath: 'key' });
  };
  return request(r);
}

async function withStore<T>(mode: IDBTransactionMode, f: (store: IDBObjectStore) => Promise<T>): Promise<T> {
  const db = await open();
  try {
    const tx = db.transaction(STORE, mode);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted (the browser may be out of storage)'));
    });
    const out = await f(tx.objectStore(STORE));
    await done;
    return out;
  } finally {
    db.close();
  }
}

/** what is kept, newest first (without the bytes) */
export async function listUploads(): Promise<KeptUpload[]> {
  const all = await withStore('readonly', (s) => request(s.getAll() as IDBRequest<StoredUpload[]>));
  return all.map(({ key, name, size, savedAt }) => ({ key, name, size, savedAt })).sort((a, b) => b.savedAt - a.savedAt);
}

/** The kept file named `key`, as a File with its original name; null when this browser does not have it. */
export async function loadUpload(key: string): Promise<File | null> {
  const r = await withStore('readonly', (s) => request(s.get(key) as IDBRequest<StoredUpload | undefined>));
  return r ? new File([r.blob], r.name) : null;
}

export type KeepOutcome =
  | { readonly kept: true; readonly key: string; readonly forgot: readonly KeptUpload[] }
  | { readonly kept: false; readonly key: string; readonly reason: string };

/**
 * What keeping a file of `size` bytes under `key` does to the kept uploads (`existing`, newest first): a
 * file over MAX_UPLOAD_BYTES is not kept (and says why); otherwise the oldest others are forgotten until
 * all of them fit in MAX_TOTAL_BYTES. The same key kept again replaces itself (and becomes the newest).
 */
export function planKeep(existing: readonly KeptUpload[], key: string, name: string, size: number): { readonly keep: true; readonly forget: readonly KeptUpload[] } | { readonly keep: false; readonly reason: string } {
  if (size > MAX_UPLOAD_BYTES) return { keep: false, reason: `${name} is ${mib(size)}, over the ${mib(MAX_UPLOAD_BYTES)} this page keeps for a reload` };
  const others = existing.filter((u) => u.key !== key);
  const forget: KeptUpload[] = [];
  let total = size + others.reduce((a, u) => a + u.size, 0);
  for (const u of [...others].reverse()) {
    if (total <= MAX_TOTAL_BYTES) break;
    forget.push(u);
    total -= u.size;
  }
  return { keep: true, forget };
}

/** Keeps `file` under its fingerprint as planKeep says (forgetting the oldest if need be). */
export async function keepUpload(file: File, key?: string): Promise<KeepOutcome> {
  const k = key ?? (await uploadKey(file));
  const plan = planKeep(await listUploads(), k, file.name, file.size);
  if (!plan.keep) return { kept: false, key: k, reason: plan.reason };
  const record: StoredUpload = { key: k, name: file.name, size: file.size, savedAt: Date.now(), blob: file };
  await withStore('readwrite', async (s) => {
    for (const u of plan.forget) await request(s.delete(u.key));
    await request(s.put(record));
  });
  return { kept: true, key: k, forgot: plan.forget };
}

export async function forgetUpload(key: string): Promise<void> {
  await withStore('readwrite', (s) => request(s.delete(key)).then(() => undefined));
}

export function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
