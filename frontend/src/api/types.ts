// Domain types derived from the generated OpenAPI schema. They are derived from
// *paths* (which are stable) rather than component names (which may change
// when the backend renames its Pydantic models).
import type { paths } from './schema';

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type TokenResponse = JsonOf<paths['/api/v1/auth/token']['post']['responses'][200]>;
export type Me = JsonOf<paths['/api/v1/me']['get']['responses'][200]>;

export type UserPage = JsonOf<paths['/api/v1/users']['get']['responses'][200]>;
export type User = UserPage['items'][number];
export type UserCreate = NonNullable<paths['/api/v1/users']['post']['requestBody']>['content']['application/json'];
export type UsersQuery = NonNullable<paths['/api/v1/users']['get']['parameters']['query']>;

export type AgencyPage = JsonOf<paths['/api/v1/agencies']['get']['responses'][200]>;
export type Agency = AgencyPage['items'][number];
export type AgenciesQuery = NonNullable<paths['/api/v1/agencies']['get']['parameters']['query']>;

export type AdminUnitPage = JsonOf<paths['/api/v1/admin-units']['get']['responses'][200]>;
export type AdminUnit = AdminUnitPage['items'][number];
export type AdminUnitsQuery = NonNullable<paths['/api/v1/admin-units']['get']['parameters']['query']>;

export type AuditPage = JsonOf<paths['/api/v1/audit-events']['get']['responses'][200]>;
export type AuditEvent = AuditPage['items'][number];
export type AuditQuery = NonNullable<paths['/api/v1/audit-events']['get']['parameters']['query']>;

export const ROLES = [
  'admin',
  'coordinator',
  'leader',
  'inspector',
  'local_officer',
  'producer',
  'viewer',
] as const satisfies readonly NonNullable<UsersQuery['role']>[];
export type Role = (typeof ROLES)[number];

// Option lists for filters; `satisfies` makes tsc fail if the API drops a value.
export const AGENCY_KINDS = [
  'peoples_committee',
  'department',
  'sub_department',
  'office',
  'division',
  'other',
] as const satisfies readonly Agency['kind'][];

export const ADMIN_UNIT_LEVELS = [
  'province',
  'city',
  'district',
  'town',
  'commune',
  'ward',
  'township',
] as const satisfies readonly AdminUnit['level'][];
