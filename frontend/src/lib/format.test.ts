import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import { formatDate, inForce } from './format';

describe('inForce', () => {
  const on = dayjs('2025-07-01');
  it('treats valid_from and valid_to as inclusive, like the API active_on filter', () => {
    expect(inForce('2025-07-01', null, on)).toBe(true);
    expect(inForce('2025-07-02', null, on)).toBe(false);
    expect(inForce('2020-01-01', '2025-07-01', on)).toBe(true);
    expect(inForce('2020-01-01', '2025-06-30', on)).toBe(false);
    expect(inForce(null, null, on)).toBe(true);
  });
});

describe('formatDate', () => {
  it('formats ISO dates as DD/MM/YYYY and dashes for empty', () => {
    expect(formatDate('2025-07-01')).toBe('01/07/2025');
    expect(formatDate(null)).toBe('—');
  });
});
