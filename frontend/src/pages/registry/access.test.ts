import { describe, expect, it } from 'vitest';
import { registerScope } from './access';

describe('registerScope', () => {
  it('lets coordinators and admins register anywhere', () => {
    expect(registerScope(['coordinator'])).toEqual({ allowed: true, provinceWide: true });
    expect(registerScope(['admin'])).toEqual({ allowed: true, provinceWide: true });
  });
  it('lets local officers register in their own units only', () => {
    expect(registerScope(['local_officer'])).toEqual({ allowed: true, provinceWide: false });
    expect(registerScope(['local_officer', 'coordinator'])).toEqual({ allowed: true, provinceWide: true });
  });
  it('keeps read-only roles out', () => {
    for (const role of ['leader', 'inspector', 'viewer', 'producer']) {
      expect(registerScope([role]).allowed).toBe(false);
    }
    expect(registerScope(undefined).allowed).toBe(false);
  });
});
