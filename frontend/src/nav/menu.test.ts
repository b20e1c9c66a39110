import { describe, expect, it } from 'vitest';
import { canAccess, menuFor } from './menu';

const keys = (roles: string[]) => menuFor(roles).map((i) => i.key);

describe('menuFor', () => {
  it('gives everyone home, products, producers and account', () => {
    expect(keys([])).toEqual(['home', 'products', 'producers', 'account']);
    expect(keys(['producer'])).toEqual(['home', 'products', 'producers', 'account']);
    expect(menuFor(undefined).map((i) => i.path)).toEqual(['/', '/san-pham', '/chu-the', '/tai-khoan']);
  });

  it('gives local officers the inspection plans of their units', () => {
    expect(keys(['local_officer'])).toEqual(['home', 'campaigns', 'products', 'producers', 'account']);
  });

  it('gives admin inspection plans, imports, users, agencies, admin units and audit', () => {
    expect(keys(['admin'])).toEqual([
      'home',
      'campaigns',
      'products',
      'producers',
      'imports',
      'users',
      'agencies',
      'adminUnits',
      'audit',
      'account',
    ]);
  });

  it('gives coordinator inspection plans, imports, agencies and admin units', () => {
    expect(keys(['coordinator'])).toEqual([
      'home',
      'campaigns',
      'products',
      'producers',
      'imports',
      'agencies',
      'adminUnits',
      'account',
    ]);
  });

  it('gives leader inspection plans, agencies, admin units and audit but not users or imports', () => {
    expect(keys(['leader'])).toEqual([
      'home',
      'campaigns',
      'products',
      'producers',
      'agencies',
      'adminUnits',
      'audit',
      'account',
    ]);
  });

  it.each(['inspector', 'viewer'])('gives %s inspection plans, agencies and admin units, no imports', (role) => {
    expect(keys([role])).toEqual(['home', 'campaigns', 'products', 'producers', 'agencies', 'adminUnits', 'account']);
  });

  it('unions multiple roles without duplicates, in display order', () => {
    expect(keys(['viewer', 'leader', 'inspector'])).toEqual([
      'home',
      'campaigns',
      'products',
      'producers',
      'agencies',
      'adminUnits',
      'audit',
      'account',
    ]);
    expect(keys(['local_officer', 'coordinator'])).toContain('imports');
  });

  it('ignores unknown roles', () => {
    expect(keys(['superhero'])).toEqual(['home', 'products', 'producers', 'account']);
  });

  it('uses Vietnamese slugs and i18n label keys', () => {
    const items = menuFor(['admin']);
    expect(items.find((i) => i.key === 'users')).toMatchObject({ path: '/nguoi-dung', labelKey: 'nav.users' });
    expect(items.find((i) => i.key === 'products')).toMatchObject({ path: '/san-pham', labelKey: 'nav.products' });
    expect(items.find((i) => i.key === 'producers')).toMatchObject({ path: '/chu-the', labelKey: 'nav.producers' });
    expect(items.find((i) => i.key === 'imports')).toMatchObject({ path: '/nhap-du-lieu', labelKey: 'nav.imports' });
    expect(items.find((i) => i.key === 'campaigns')).toMatchObject({ path: '/ke-hoach', labelKey: 'nav.campaigns' });
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

  it('opens the registry to everyone and imports to admin and coordinator only', () => {
    for (const role of ['admin', 'coordinator', 'leader', 'inspector', 'local_officer', 'producer', 'viewer']) {
      expect(canAccess([role], 'products')).toBe(true);
      expect(canAccess([role], 'producers')).toBe(true);
      expect(canAccess([role], 'imports')).toBe(role === 'admin' || role === 'coordinator');
    }
  });

  it('opens the inspection plans to every role but producers', () => {
    for (const role of ['admin', 'coordinator', 'leader', 'inspector', 'local_officer', 'viewer']) {
      expect(canAccess([role], 'campaigns')).toBe(true);
    }
    expect(canAccess(['producer'], 'campaigns')).toBe(false);
    expect(canAccess([], 'campaigns')).toBe(false);
  });
});
