import { describe, expect, it } from 'vitest';
import { canAccess, menuFor } from './menu';

const keys = (roles: string[]) => menuFor(roles).map((i) => i.key);

describe('menuFor', () => {
  it('gives everyone home, the compliance lookup, products, producers and account', () => {
    expect(keys([])).toEqual(['home', 'compliance', 'products', 'producers', 'account']);
    expect(menuFor(undefined).map((i) => i.path)).toEqual(['/', '/tuan-thu', '/san-pham', '/chu-the', '/tai-khoan']);
  });

  it('gives producers their own findings, labelled "Phát hiện của tôi"', () => {
    expect(keys(['producer'])).toEqual(['home', 'findings', 'compliance', 'products', 'producers', 'account']);
    expect(menuFor(['producer']).find((i) => i.key === 'findings')).toMatchObject({
      path: '/phat-hien',
      labelKey: 'nav.myFindings',
    });
  });

  it('gives local officers the inspection plans and the findings of their units', () => {
    expect(keys(['local_officer'])).toEqual([
      'home',
      'campaigns',
      'findings',
      'compliance',
      'products',
      'producers',
      'account',
    ]);
    expect(menuFor(['local_officer']).find((i) => i.key === 'findings')?.labelKey).toBe('nav.findings');
  });

  it('gives admin everything', () => {
    expect(keys(['admin'])).toEqual([
      'home',
      'myVisits',
      'campaigns',
      'eoffice',
      'findings',
      'compliance',
      'products',
      'producers',
      'imports',
      'users',
      'agencies',
      'adminUnits',
      'templates',
      'audit',
      'account',
    ]);
  });

  it('gives coordinator their visits, plans, the e-office inbox, findings, imports, agencies and admin units', () => {
    expect(keys(['coordinator'])).toEqual([
      'home',
      'myVisits',
      'campaigns',
      'eoffice',
      'findings',
      'compliance',
      'products',
      'producers',
      'imports',
      'agencies',
      'adminUnits',
      'account',
    ]);
  });

  it('gives leader their visits, plans, the e-office inbox, findings, agencies, admin units and audit but not users or imports', () => {
    expect(keys(['leader'])).toEqual([
      'home',
      'myVisits',
      'campaigns',
      'eoffice',
      'findings',
      'compliance',
      'products',
      'producers',
      'agencies',
      'adminUnits',
      'audit',
      'account',
    ]);
  });

  it('gives inspectors their visits ("Việc của tôi"), plans and findings', () => {
    expect(keys(['inspector'])).toEqual([
      'home',
      'myVisits',
      'campaigns',
      'findings',
      'compliance',
      'products',
      'producers',
      'agencies',
      'adminUnits',
      'account',
    ]);
  });

  it('gives viewers plans and findings to read, no visits of their own', () => {
    expect(keys(['viewer'])).toEqual([
      'home',
      'campaigns',
      'findings',
      'compliance',
      'products',
      'producers',
      'agencies',
      'adminUnits',
      'account',
    ]);
  });

  it('unions multiple roles without duplicates, in display order', () => {
    expect(keys(['viewer', 'leader', 'inspector'])).toEqual([
      'home',
      'myVisits',
      'campaigns',
      'eoffice',
      'findings',
      'compliance',
      'products',
      'producers',
      'agencies',
      'adminUnits',
      'audit',
      'account',
    ]);
    expect(keys(['local_officer', 'coordinator'])).toContain('imports');
    expect(menuFor(['producer', 'inspector']).find((i) => i.key === 'findings')?.labelKey).toBe('nav.findings');
  });

  it('ignores unknown roles', () => {
    expect(keys(['superhero'])).toEqual(['home', 'compliance', 'products', 'producers', 'account']);
  });

  it('uses Vietnamese slugs and i18n label keys', () => {
    const items = menuFor(['admin']);
    expect(items.find((i) => i.key === 'users')).toMatchObject({ path: '/nguoi-dung', labelKey: 'nav.users' });
    expect(items.find((i) => i.key === 'products')).toMatchObject({ path: '/san-pham', labelKey: 'nav.products' });
    expect(items.find((i) => i.key === 'producers')).toMatchObject({ path: '/chu-the', labelKey: 'nav.producers' });
    expect(items.find((i) => i.key === 'imports')).toMatchObject({ path: '/nhap-du-lieu', labelKey: 'nav.imports' });
    expect(items.find((i) => i.key === 'campaigns')).toMatchObject({ path: '/ke-hoach', labelKey: 'nav.campaigns' });
    expect(items.find((i) => i.key === 'findings')).toMatchObject({ path: '/phat-hien', labelKey: 'nav.findings' });
    expect(items.find((i) => i.key === 'compliance')).toMatchObject({ path: '/tuan-thu', labelKey: 'nav.compliance' });
    expect(items.find((i) => i.key === 'myVisits')).toMatchObject({ path: '/viec-cua-toi', labelKey: 'nav.myVisits' });
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

  it('opens findings to every role, the compliance lookup to everyone signed in', () => {
    for (const role of ['admin', 'coordinator', 'leader', 'inspector', 'local_officer', 'producer', 'viewer']) {
      expect(canAccess([role], 'findings')).toBe(true);
      expect(canAccess([role], 'compliance')).toBe(true);
    }
    expect(canAccess([], 'findings')).toBe(false);
    expect(canAccess([], 'compliance')).toBe(true);
  });

  it('gives the document templates ("Mẫu văn bản") to administrators only', () => {
    expect(canAccess(['admin'], 'templates')).toBe(true);
    for (const role of ['coordinator', 'leader', 'inspector', 'local_officer', 'producer', 'viewer']) {
      expect(canAccess([role], 'templates')).toBe(false);
    }
    expect(menuFor(['admin']).find((i) => i.key === 'templates')).toMatchObject({
      path: '/mau-van-ban',
      labelKey: 'nav.templates',
    });
  });

  it('gives the e-office inbox ("Văn bản điện tử") to coordinators, leaders and administrators', () => {
    for (const role of ['admin', 'coordinator', 'leader']) expect(canAccess([role], 'eoffice')).toBe(true);
    for (const role of ['inspector', 'viewer', 'local_officer', 'producer']) {
      expect(canAccess([role], 'eoffice')).toBe(false);
    }
    expect(canAccess([], 'eoffice')).toBe(false);
    expect(menuFor(['leader']).find((i) => i.key === 'eoffice')).toMatchObject({
      path: '/van-ban-dien-tu',
      labelKey: 'nav.eoffice',
    });
  });

  it('gives "Việc của tôi" to those who sit on inspection teams', () => {
    for (const role of ['admin', 'coordinator', 'leader', 'inspector']) expect(canAccess([role], 'myVisits')).toBe(true);
    for (const role of ['viewer', 'local_officer', 'producer']) expect(canAccess([role], 'myVisits')).toBe(false);
  });
});
