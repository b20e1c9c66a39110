// The visit screen's offline drafts and their sending: what is typed is kept in localStorage at once
// (photos in IndexedDB), shown over the server's data, and sent when the connection allows — answers
// with PUT /answers (idempotent), the record with PATCH + If-Match, photos one by one.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, isNetworkError } from '../../api/problem';
import type { Answer, AnswerList, VisitRecord } from '../../api/types';
import { isComplete, toPayload, type AnswerDraft, type AnswerType } from './answers';
import {
  draftStore,
  effectiveAnswers,
  effectiveRecord,
  emptyDraft,
  pendingAnswers,
  pendingRecord,
  reconcileAnswers,
  reconcileRecord,
  recordPayload,
  withAnswer,
  withRecord,
  type RecordFields,
  type VisitDraft,
} from './drafts';
import {
  capturedAt,
  getRecord,
  inspectionKeys,
  saveAnswers,
  updateRecord,
  uploadVisitEvidence,
} from './inspectionsApi';
import { snapshotKey } from './fieldBundle';
import { forgetPhoto, keepPhoto, keptPhotos, newPhotoId, saveSnapshot, type PendingPhoto } from './offlineStore';
import { SyncQueue, syncState, type RunResult, type SyncState } from './syncQueue';
import { onOutboxChange, outbox, sendAll, split, type OutboxEntry } from './fieldOutbox';

const store = draftStore(globalThis.localStorage);
/** The API takes at most this many answers per request. */
const BATCH = 500;
/** Refusals that sending the same photo again will not cure. */
const PHOTO_REFUSALS = [413, 415, 422];

export { snapshotKey };

interface Args {
  visitId: number;
  userId: number;
  record: VisitRecord | undefined;
  answers: readonly Answer[] | undefined;
  /** Answer type of each item code (what makes an answer complete). */
  answerTypes: ReadonlyMap<string, AnswerType>;
  /** The caller records this visit now (in progress, on its team). */
  canRecord: boolean;
}

export interface VisitSync {
  answers: Map<string, AnswerDraft>;
  setAnswer: (current: AnswerDraft, patch: Partial<AnswerDraft>, typing?: boolean) => void;
  record: RecordFields | null;
  setRecord: (changes: Partial<RecordFields>, typing?: boolean) => void;
  photos: PendingPhoto[];
  addPhoto: (file: File, itemCode: string | null) => Promise<void>;
  removePhoto: (photo: PendingPhoto) => Promise<void>;
  state: SyncState;
  /** Things kept here and not on the server yet (answers, the record, photos). */
  pending: number;
  /** Answers that cannot be sent yet: a note without yes/no/na, a number item without the figure. */
  incomplete: number;
  error: unknown;
  online: boolean;
  /** Sends everything now; true when nothing is left unsent. */
  flush: () => Promise<boolean>;
  /** Forgets what this device holds for the visit (when it can no longer be sent). */
  discard: () => Promise<void>;
  /** Free findings (with photos) written here, waiting to be sent or refused. */
  outbox: OutboxEntry[];
  /** Asks for a sync now (after something was added to the outbox). */
  request: () => void;
}

export function useVisitSync({ visitId, userId, record, answers, answerTypes, canRecord }: Args): VisitSync {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<VisitDraft>(() => store.load(userId, visitId));
  const draftRef = useRef(draft);
  const [photos, setPhotos] = useState<PendingPhoto[]>([]);
  const photosRef = useRef(photos);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  const [entries, setEntries] = useState<OutboxEntry[]>([]);
  const latest = useRef({ record, answers, answerTypes, canRecord });
  latest.current = { record, answers, answerTypes, canRecord };

  const updateDraft = useCallback(
    (change: (d: VisitDraft) => VisitDraft) => {
      const next = change(draftRef.current);
      draftRef.current = next;
      store.save(userId, visitId, next);
      setDraft(next);
    },
    [userId, visitId],
  );

  const updatePhotos = useCallback((change: (p: PendingPhoto[]) => PendingPhoto[]) => {
    photosRef.current = change(photosRef.current);
    setPhotos(photosRef.current);
  }, []);

  const sendable = (d: VisitDraft, server: readonly Answer[]) =>
    pendingAnswers(d, server).filter((a) => {
      const type = latest.current.answerTypes.get(a.item_code);
      return type !== undefined && isComplete(a, type);
    });

  const run = async (): Promise<RunResult> => {
    const now = latest.current;
    if (!now.canRecord) return 'stop';
    if (!now.record || !now.answers) return 'retry';
    try {
      // answers: idempotent, so a batch cut off by a dropped connection is simply sent again
      const send = sendable(draftRef.current, now.answers);
      for (let i = 0; i < send.length; i += BATCH) {
        const saved: AnswerList = await saveAnswers(visitId, send.slice(i, i + BATCH).map(toPayload));
        queryClient.setQueryData(inspectionKeys.part(visitId, 'answers'), saved);
        saveSnapshot(snapshotKey(userId, 'answers', visitId), saved);
        latest.current.answers = saved.items;
        updateDraft((d) => reconcileAnswers(d, saved.items));
      }
      // the record: If-Match; after a 412 the fields changed here are applied to the newer version
      let current = now.record;
      let changes = pendingRecord(draftRef.current, current);
      if (Object.keys(changes).length > 0) {
        let saved: VisitRecord;
        try {
          saved = await updateRecord(current, recordPayload(changes));
        } catch (err) {
          if (!(err instanceof ApiError && err.status === 412)) throw err;
          current = await getRecord(visitId);
          changes = pendingRecord(draftRef.current, current);
          saved = Object.keys(changes).length > 0 ? await updateRecord(current, recordPayload(changes)) : current;
        }
        queryClient.setQueryData(inspectionKeys.part(visitId, 'record'), saved);
        saveSnapshot(snapshotKey(userId, 'record', visitId), saved);
        latest.current.record = saved;
        updateDraft((d) => reconcileRecord(d, saved));
      }
      // photos, one by one
      let uploaded = false;
      for (const photo of photosRef.current.filter((p) => !p.error)) {
        try {
          await uploadVisitEvidence(visitId, {
            file: photo.blob,
            filename: photo.filename,
            itemCode: photo.itemCode,
            capturedAt: photo.capturedAt,
          });
          uploaded = true;
          await forgetPhoto(photo);
          updatePhotos((list) => list.filter((p) => p.id !== photo.id));
        } catch (err) {
          if (!(err instanceof ApiError && PHOTO_REFUSALS.includes(err.status))) throw err;
          const refused = { ...photo, error: err.message };
          await keepPhoto(refused);
          updatePhotos((list) => list.map((p) => (p.id === photo.id ? refused : p)));
        }
      }
      if (uploaded) void queryClient.invalidateQueries({ queryKey: inspectionKeys.part(visitId, 'evidence') });
      // then the free findings written here, in the order they were written (each with its Idempotency-Key)
      const sent = await sendAll(userId, visitId);
      if (sent === 'retry') return 'retry';
      void queryClient.invalidateQueries({ queryKey: inspectionKeys.findings });
      setError(null);
      return 'done';
    } catch (err) {
      if (isNetworkError(err)) return 'retry';
      setError(err);
      // 409: the visit left "in progress" (submitted or returned meanwhile): show its state
      if (err instanceof ApiError && err.status === 409) {
        void queryClient.invalidateQueries({ queryKey: inspectionKeys.part(visitId, 'record') });
      }
      return 'stop';
    }
  };
  const runRef = useRef(run);
  runRef.current = run;

  const queue = useMemo(
    () => new SyncQueue(() => runRef.current(), { debounceMs: 1_200, onBusy: setBusy }),
    // one queue per visit and user
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [visitId, userId],
  );
  useEffect(() => {
    queue.resume();
    return () => queue.dispose();
  }, [queue]);

  // another visit or user: its own draft and photos
  useEffect(() => {
    const d = store.load(userId, visitId);
    draftRef.current = d;
    setDraft(d);
    photosRef.current = [];
    setPhotos([]);
    let live = true;
    void keptPhotos(userId, visitId).then((kept) => {
      if (!live || kept.length === 0) return;
      updatePhotos((list) => [...kept.filter((k) => !list.some((p) => p.id === k.id)), ...list]);
      queue.request(0);
    });
    return () => {
      live = false;
    };
  }, [userId, visitId, queue, updatePhotos]);

  // the findings waiting in the outbox for this visit (the form adds, the queue screen retries or discards)
  useEffect(() => {
    let live = true;
    const load = () =>
      void outbox(userId, visitId).then((list) => {
        if (live) setEntries(list);
      });
    load();
    const stop = onOutboxChange(load);
    return () => {
      live = false;
      stop();
    };
  }, [userId, visitId]);

  // back online: send at once; the queue also retries on its own while the server is unreachable
  useEffect(() => {
    const up = () => {
      setOnline(true);
      void queue.flush();
    };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [queue]);

  // once the data is there (from the server or the copy kept offline), send what is left from before
  const ready = Boolean(record && answers);
  useEffect(() => {
    if (ready && canRecord) queue.request(0);
  }, [ready, canRecord, queue]);

  const serverAnswers = useMemo(() => answers ?? [], [answers]);
  const pendingList = useMemo(() => pendingAnswers(draft, serverAnswers), [draft, serverAnswers]);
  const incomplete = pendingList.filter((a) => {
    const type = answerTypes.get(a.item_code);
    return type === undefined || !isComplete(a, type);
  }).length;
  const recordPending = record ? Object.keys(pendingRecord(draft, record)).length > 0 : false;
  const waiting = split(entries).waiting.length;
  const pending = pendingList.length + (recordPending ? 1 : 0) + photos.filter((p) => !p.error).length + waiting;

  const setAnswer = useCallback(
    (current: AnswerDraft, patch: Partial<AnswerDraft>, typing = false) => {
      updateDraft((d) => withAnswer(d, current, patch));
      queue.request(typing ? undefined : 300);
    },
    [updateDraft, queue],
  );

  const setRecord = useCallback(
    (changes: Partial<RecordFields>, typing = false) => {
      updateDraft((d) => withRecord(d, changes));
      queue.request(typing ? undefined : 300);
    },
    [updateDraft, queue],
  );

  const addPhoto = useCallback(
    async (file: File, itemCode: string | null) => {
      const photo: PendingPhoto = {
        id: newPhotoId(),
        userId,
        visitId,
        itemCode,
        filename: file.name || `anh-${Date.now()}.jpg`,
        blob: file,
        capturedAt: capturedAt(file),
        error: null,
      };
      await keepPhoto(photo); // kept before anything else: a reload or a dropped connection keeps it
      updatePhotos((list) => [...list, photo]);
      queue.request(0);
    },
    [userId, visitId, queue, updatePhotos],
  );

  const removePhoto = useCallback(
    async (photo: PendingPhoto) => {
      await forgetPhoto(photo);
      updatePhotos((list) => list.filter((p) => p.id !== photo.id));
    },
    [updatePhotos],
  );

  const flush = useCallback(async () => {
    await queue.flush();
    const now = latest.current;
    const left =
      sendable(draftRef.current, now.answers ?? []).length +
      (now.record && Object.keys(pendingRecord(draftRef.current, now.record)).length > 0 ? 1 : 0) +
      photosRef.current.filter((p) => !p.error).length +
      split(await outbox(userId, visitId)).waiting.length;
    return left === 0;
    // sendable reads refs only
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [queue]);

  const discard = useCallback(async () => {
    for (const photo of photosRef.current) await forgetPhoto(photo);
    updatePhotos(() => []);
    updateDraft(() => emptyDraft());
    setError(null);
  }, [updateDraft, updatePhotos]);

  return {
    answers: useMemo(() => effectiveAnswers(serverAnswers, draft), [serverAnswers, draft]),
    setAnswer,
    record: record ? effectiveRecord(record, draft) : null,
    setRecord,
    photos,
    addPhoto,
    removePhoto,
    state: syncState({ pending, busy, blocked: !canRecord || error != null }),
    pending,
    incomplete,
    error,
    online,
    flush,
    discard,
    outbox: entries,
    request: useCallback(() => queue.request(0), [queue]),
  };
}
