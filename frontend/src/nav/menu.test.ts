import { describe, expect, it } from 'vitest';
import { canAccess, menuFor } from './menu';

const keys = (roles: string[]) => menuFor(roles).map((i) => i.key);

describe('menuFor', () => {
  it('gives everyone home and account', () => {
    expect(keys([])).toEqual(['home', 'account']);
    expect(keys(['producer'])).toEqual(['home', 'account']);
    expect(keys(['local_officer'])).toEqual(['home', 'account']);
    expect(menuFor(undefined).map((i) => i.path)).toEqual(['/', '/tai-khoan']);
  });

  it('gives admin users, agencies, admin units and audit', () => {
    expect(keys(['admin'])).toEqual(['home', 'users', 'agencies', 'adminUnits', 'audit', 'account']);
  });

  it('gives leader agencies, admin units and audit but not users', () => {
    expect(keys(['leader'])).toEqual(['home', 'agencies', 'adminUnits', 'audit', 'account']);
  });

  it.each(['coordinator', 'inspector', 'viewer'])('gives %s agencies and admin units only', (role) => {
    expect(keys([role])).toEqual(['home', 'agencies', 'adminUnits', 'account']);
  });

  it('unions multiple roles without duplicates, in display order', () => {
    expect(keys(['viewer', 'leader', 'inspector'])).toEqual(['home', 'agencies', 'adminUnits', 'audit', 'account']);
  });

  it('ignores unknown roles', () => {
    expect(keys(['superhero'])).toEqual(['home', 'account']);
  });

  it('uses Vietnamese slugs and i18n label keys', () => {
    const users = menuFor(['admin']).find((i) => i.key === 'users');
    expect(users).toMatchObject({ path: '/nguoi-dung', labelKey: 'nav.users' });
  });
});

describe('canAccess', () => {
  it('guards pages by role', () => {
    expect(canAccess(['admin'], 'users')).toBe(true);
    expect(canAccess(['viewer'], 'users')).toBe(false);
    expect(canAccess(['leader'], 'audit')).toBe(true);
    expect(canAccess(['coordinator'], 'audit')).toBe(false);
    expect(canAccess(['producer'], 'account')).toBe(true);
  });
});
