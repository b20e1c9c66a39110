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

// ---- OCOP registry ------------------------------------------------------------------------

export type Taxonomy = JsonOf<paths['/api/v1/taxonomy']['get']['responses'][200]>;
export type ProductGroup = Taxonomy['groups'][number];
export type ProductSet = Taxonomy['sets'][number];

export type ProducerPage = JsonOf<paths['/api/v1/producers']['get']['responses'][200]>;
export type Producer = ProducerPage['items'][number];
export type ProducersQuery = NonNullable<paths['/api/v1/producers']['get']['parameters']['query']>;
export type ProducerCreate = NonNullable<paths['/api/v1/producers']['post']['requestBody']>['content']['application/json'];

export type ProductPage = JsonOf<paths['/api/v1/products']['get']['responses'][200]>;
export type Product = ProductPage['items'][number];
export type ProductsQuery = NonNullable<paths['/api/v1/products']['get']['parameters']['query']>;

export type CertificatePage = JsonOf<paths['/api/v1/certificates']['get']['responses'][200]>;
export type Certificate = CertificatePage['items'][number];
export type CertificateBrief = NonNullable<Product['certificate']>;

export type StampIssuePage = JsonOf<paths['/api/v1/products/{product_id}/stamp-issues']['get']['responses'][200]>;
export type StampIssue = StampIssuePage['items'][number];

export type ImportJobPage = JsonOf<paths['/api/v1/imports']['get']['responses'][200]>;
export type ImportJob = JsonOf<paths['/api/v1/imports/{import_id}']['get']['responses'][200]>;
export type ImportRow = NonNullable<ImportJob['rows']>[number];

export const PRODUCER_KINDS = [
  'enterprise',
  'cooperative',
  'cooperative_group',
  'household_business',
] as const satisfies readonly Producer['kind'][];

export const PRODUCER_STATUSES = ['active', 'suspended', 'ceased'] as const satisfies readonly Producer['status'][];

export const PRODUCT_STATUSES = ['active', 'discontinued'] as const satisfies readonly Product['status'][];

/** Certificate statuses, plus `none` for products without a certificate (a filter value only). */
export const CERTIFICATE_STATUSES = [
  'valid',
  'expiring',
  'expired',
  'revoked',
  'superseded',
] as const satisfies readonly Certificate['status'][];
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];
export const CERTIFICATE_FILTERS = [...CERTIFICATE_STATUSES, 'none'] as const satisfies readonly NonNullable<
  ProductsQuery['certificate_status']
>[];

export const IMPORT_STATUSES = [
  'queued',
  'validating',
  'ready',
  'invalid',
  'committing',
  'committed',
  'failed',
] as const satisfies readonly ImportJob['status'][];
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const IMPORT_OUTCOMES = ['create', 'update', 'unchanged', 'error'] as const satisfies readonly ImportRow['outcome'][];
