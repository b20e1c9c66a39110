import { describe, expect, it } from 'vitest';
import { inOrder, photoProblem, PHOTO_MAX_BYTES, split, type OutboxEntry } from './fieldOutbox';

const file = (name: string, type: string, size = 1000) => ({ name, type, size });

describe('photoProblem: refused on the device before it waits in the queue', () => {
  it('takes the photos the server takes', () => {
    expect(photoProblem(file('tem.jpg', 'image/jpeg'))).toBeNull();
    expect(photoProblem(file('IMG_0001.HEIC', 'image/heic'))).toBeNull();
    expect(photoProblem(file('anh.png', 'image/png'))).toBeNull();
    // a camera that gives no type: the name says it
    expect(photoProblem(file('anh.webp', ''))).toBeNull();
  });

  it('refuses another kind of file', () => {
    expect(photoProblem(file('ghi-chu.txt', 'text/plain'))).toBe('type');
    expect(photoProblem(file('bien-ban.pdf', 'application/pdf'))).toBe('type');
    expect(photoProblem(file('anh', ''))).toBe('type');
  });

  it('refuses a photo over the limit, and an empty one', () => {
    expect(photoProblem(file('lon.jpg', 'image/jpeg', PHOTO_MAX_BYTES + 1))).toBe('size');
    expect(photoProblem(file('vua.jpg', 'image/jpeg', PHOTO_MAX_BYTES))).toBeNull();
    expect(photoProblem(file('rong.jpg', 'image/jpeg', 0))).toBe('empty');
    expect(photoProblem(file('nho.jpg', 'image/jpeg', 600), 500)).toBe('size');
  });
});

const entry = (key: string, seq: number, failed = false): OutboxEntry => ({
  key,
  userId: 1,
  visitId: 9,
  seq,
  kind: 'finding',
  body: { campaign_id: 1, producer_id: 2, category: 'other', severity: 'minor', description: key },
  photos: [],
  findingId: null,
  failure: failed ? { status: 422, code: 'product_not_scheduled', message: 'x', at: '2026-01-01T00:00:00Z' } : null,
});

describe('the outbox order', () => {
  it('sends in the order things were recorded', () => {
    expect(inOrder([entry('c', 30), entry('a', 10), entry('b', 20)]).map((e) => e.key)).toEqual(['a', 'b', 'c']);
    // recorded in the same millisecond: a stable order
    expect(inOrder([entry('y', 5), entry('x', 5)]).map((e) => e.key)).toEqual(['x', 'y']);
  });

  it('keeps what the server refused apart from what waits', () => {
    const { waiting, failed } = split([entry('b', 2, true), entry('c', 3), entry('a', 1)]);
    expect(waiting.map((e) => e.key)).toEqual(['a', 'c']);
    expect(failed.map((e) => e.key)).toEqual(['b']);
  });
});
