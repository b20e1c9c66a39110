// Role-based navigation. Pure functions, unit-tested in menu.test.ts.

export type MenuKey =
  | 'home'
  | 'myVisits'
  | 'campaigns'
  | 'eoffice'
  | 'findings'
  | 'compliance'
  | 'products'
  | 'producers'
  | 'imports'
  | 'users'
  | 'agencies'
  | 'adminUnits'
  | 'templates'
  | 'audit'
  | 'account';

export interface MenuItem {
  key: MenuKey;
  path: string;
  /** i18n key of the label. */
  labelKey: string;
}

export const MENU_ITEMS: Record<MenuKey, MenuItem> = {
  home: { key: 'home', path: '/', labelKey: 'nav.home' },
  myVisits: { key: 'myVisits', path: '/viec-cua-toi', labelKey: 'nav.myVisits' },
  campaigns: { key: 'campaigns', path: '/ke-hoach', labelKey: 'nav.campaigns' },
  eoffice: { key: 'eoffice', path: '/van-ban-dien-tu', labelKey: 'nav.eoffice' },
  findings: { key: 'findings', path: '/phat-hien', labelKey: 'nav.findings' },
  compliance: { key: 'compliance', path: '/tuan-thu', labelKey: 'nav.compliance' },
  products: { key: 'products', path: '/san-pham', labelKey: 'nav.products' },
  producers: { key: 'producers', path: '/chu-the', labelKey: 'nav.producers' },
  imports: { key: 'imports', path: '/nhap-du-lieu', labelKey: 'nav.imports' },
  users: { key: 'users', path: '/nguoi-dung', labelKey: 'nav.users' },
  agencies: { key: 'agencies', path: '/co-quan', labelKey: 'nav.agencies' },
  adminUnits: { key: 'adminUnits', path: '/don-vi-hanh-chinh', labelKey: 'nav.adminUnits' },
  templates: { key: 'templates', path: '/mau-van-ban', labelKey: 'nav.templates' },
  audit: { key: 'audit', path: '/nhat-ky', labelKey: 'nav.audit' },
  account: { key: 'account', path: '/tai-khoan', labelKey: 'nav.account' },
};

/** Display order of the menu. */
const ORDER: MenuKey[] = [
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
];

/**
 * Entries every signed-in user gets (the API narrows the registry and the compliance lookup to what
 * each role may see).
 */
const EVERYONE: MenuKey[] = ['home', 'compliance', 'products', 'producers', 'account'];

/** Which menu entries each role unlocks (in addition to EVERYONE's). */
const ROLE_ITEMS: Record<string, MenuKey[]> = {
  admin: [
    'myVisits',
    'campaigns',
    'eoffice',
    'findings',
    'imports',
    'users',
    'agencies',
    'adminUnits',
    'templates',
    'audit',
  ],
  leader: ['myVisits', 'campaigns', 'eoffice', 'findings', 'agencies', 'adminUnits', 'audit'],
  coordinator: ['myVisits', 'campaigns', 'eoffice', 'findings', 'imports', 'agencies', 'adminUnits'],
  inspector: ['myVisits', 'campaigns', 'findings', 'agencies', 'adminUnits'],
  viewer: ['campaigns', 'findings', 'agencies', 'adminUnits'],
  local_officer: ['campaigns', 'findings'],
  producer: ['findings'],
};

/** Roles that see findings beyond their own: with none of them, a producer's list is "Phát hiện của tôi". */
const WIDER_FINDINGS = ['admin', 'coordinator', 'leader', 'inspector', 'viewer', 'local_officer'];

/** The set of menu keys available to a user holding `roles` (union over roles). */
export function allowedKeys(roles: readonly string[] | null | undefined): Set<MenuKey> {
  const keys = new Set<MenuKey>(EVERYONE);
  for (const role of roles ?? []) for (const k of ROLE_ITEMS[role] ?? []) keys.add(k);
  return keys;
}

/** The navigation menu for a user holding `roles`, in display order. */
export function menuFor(roles: readonly string[] | null | undefined): MenuItem[] {
  const keys = allowedKeys(roles);
  const ownOnly = !(roles ?? []).some((r) => WIDER_FINDINGS.includes(r));
  return ORDER.filter((k) => keys.has(k)).map((k) =>
    k === 'findings' && ownOnly ? { ...MENU_ITEMS[k], labelKey: 'nav.myFindings' } : MENU_ITEMS[k],
  );
}

export function canAccess(roles: readonly string[] | null | undefined, key: MenuKey): boolean {
  return allowedKeys(roles).has(key);
}
