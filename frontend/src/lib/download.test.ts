import { describe, expect, it } from 'vitest';
import { filenameFromDisposition } from './download';

describe('filenameFromDisposition', () => {
  it('prefers the UTF-8 filename* parameter', () => {
    expect(
      filenameFromDisposition(
        `attachment; filename="san-pham-ocop.csv"; filename*=UTF-8''s%E1%BA%A3n-ph%E1%BA%A9m.csv`,
        'x',
      ),
    ).toBe('sản-phẩm.csv');
  });

  it('reads a quoted or bare filename', () => {
    expect(filenameFromDisposition('attachment; filename="san-pham-ocop.xlsx"', 'x')).toBe('san-pham-ocop.xlsx');
    expect(filenameFromDisposition('attachment; filename=chu-the.csv', 'x')).toBe('chu-the.csv');
  });

  it('falls back when the header is missing or unusable', () => {
    expect(filenameFromDisposition(null, 'export.csv')).toBe('export.csv');
    expect(filenameFromDisposition('attachment', 'export.csv')).toBe('export.csv');
    expect(filenameFromDisposition(`attachment; filename*=UTF-8''%E0%A4%A`, 'export.csv')).toBe('export.csv');
  });

  it('strips directories', () => {
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"', 'x')).toBe('passwd');
  });
});
