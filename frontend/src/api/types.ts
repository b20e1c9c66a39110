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

// ---- campaigns (inspection plans) -----------------------------------------------------------

type CampaignPath = paths['/api/v1/campaigns/{campaign_id}'];
export type CampaignPage = JsonOf<paths['/api/v1/campaigns']['get']['responses'][200]>;
export type CampaignSummary = CampaignPage['items'][number];
export type CampaignsQuery = NonNullable<paths['/api/v1/campaigns']['get']['parameters']['query']>;
export type Campaign = JsonOf<CampaignPath['get']['responses'][200]>;
export type CampaignCreate = NonNullable<paths['/api/v1/campaigns']['post']['requestBody']>['content']['application/json'];
export type CampaignUpdate = NonNullable<CampaignPath['patch']['requestBody']>['content']['application/json'];
export type CampaignStatus = Campaign['status'];
export type CampaignTransition = NonNullable<
  paths['/api/v1/campaigns/{campaign_id}/transitions']['post']['requestBody']
>['content']['application/json'];
export type Amendment = NonNullable<
  paths['/api/v1/campaigns/{campaign_id}/amendments']['post']['requestBody']
>['content']['application/json'];
export type LegalBasis = Campaign['legal_bases'][number];
export type ContentArea = Campaign['content_areas'][number];
export type TeamCompositionLine = Campaign['team_composition'][number];
export type Counterpart = Campaign['counterparts'][number];
export type CounterpartRole = Counterpart['role'];
export type Period = NonNullable<Campaign['period']>;
export type Recipient = Campaign['recipients'][number];
export type SignerPrefix = NonNullable<CampaignCreate['signer_prefix']>;

export type RevisionPage = JsonOf<paths['/api/v1/campaigns/{campaign_id}/revisions']['get']['responses'][200]>;
export type Revision = RevisionPage['items'][number];

export type CampaignUnitPage = JsonOf<paths['/api/v1/campaigns/{campaign_id}/units']['get']['responses'][200]>;
export type CampaignUnit = CampaignUnitPage['items'][number];

export type WarningList = JsonOf<paths['/api/v1/campaigns/{campaign_id}/warnings']['get']['responses'][200]>;
export type PlanWarning = WarningList['items'][number];
export type SuggestionPage = JsonOf<paths['/api/v1/campaigns/{campaign_id}/suggestions']['get']['responses'][200]>;
export type Suggestion = SuggestionPage['items'][number];
export type NoticeList = JsonOf<paths['/api/v1/campaigns/{campaign_id}/notices']['get']['responses'][200]>;
export type Notice = NoticeList['items'][number];

export type TeamMemberPage = JsonOf<paths['/api/v1/campaigns/{campaign_id}/team']['get']['responses'][200]>;
export type TeamMember = TeamMemberPage['items'][number];
export type TeamMemberCreate = NonNullable<
  paths['/api/v1/campaigns/{campaign_id}/team']['post']['requestBody']
>['content']['application/json'];
export type TeamMemberUpdate = NonNullable<
  paths['/api/v1/campaigns/{campaign_id}/team/{member_id}']['patch']['requestBody']
>['content']['application/json'];
export type TeamRole = TeamMember['role'];

export type VisitPage = JsonOf<paths['/api/v1/campaigns/{campaign_id}/visits']['get']['responses'][200]>;
export type Visit = VisitPage['items'][number];
export type VisitCreate = NonNullable<
  paths['/api/v1/campaigns/{campaign_id}/visits']['post']['requestBody']
>['content']['application/json'];
export type VisitKind = Visit['kind'];

export type CampaignChecklist = JsonOf<paths['/api/v1/campaigns/{campaign_id}/checklist']['get']['responses'][200]>;
export type ChecklistItem = CampaignChecklist['sections'][number]['items'][number];
export type ChecklistItemIn = NonNullable<
  paths['/api/v1/campaigns/{campaign_id}/checklist/items']['post']['requestBody']
>['content']['application/json'];

export type TaskPage = JsonOf<paths['/api/v1/campaigns/{campaign_id}/tasks']['get']['responses'][200]>;
export type Task = TaskPage['items'][number];
export type TaskCreate = NonNullable<
  paths['/api/v1/campaigns/{campaign_id}/tasks']['post']['requestBody']
>['content']['application/json'];
export type TaskUpdate = NonNullable<
  paths['/api/v1/campaigns/{campaign_id}/tasks/{task_id}']['patch']['requestBody']
>['content']['application/json'];
export type TaskStatus = Task['status'];

export type LocalReportPage = JsonOf<paths['/api/v1/campaigns/{campaign_id}/local-reports']['get']['responses'][200]>;
export type LocalReport = LocalReportPage['items'][number];
export type ReportFigures = LocalReport['figures'];
export type LocalReportStatus = LocalReport['status'];
export type Attachment = LocalReport['attachments'][number];

export const CAMPAIGN_STATUSES = [
  'draft',
  'submitted',
  'issued',
  'in_progress',
  'reporting',
  'closed',
  'cancelled',
] as const satisfies readonly CampaignStatus[];

export const TEAM_ROLES = ['head', 'deputy', 'member', 'secretary'] as const satisfies readonly TeamRole[];

export const COUNTERPART_ROLES = [
  'local_leaders',
  'specialised_divisions',
  'commune_leaders',
  'producer_representatives',
  'other',
] as const satisfies readonly CounterpartRole[];

export const SIGNER_PREFIXES = ['TM.', 'KT.', 'TL.', 'TUQ.', 'Q.'] as const satisfies readonly SignerPrefix[];

export const VISIT_KINDS = ['working_session', 'site_visit'] as const satisfies readonly VisitKind[];

export const TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const satisfies readonly TaskStatus[];

export const REPORT_STATUSES = ['draft', 'submitted', 'accepted', 'returned'] as const satisfies readonly LocalReportStatus[];

export const ANSWER_TYPES = ['yes_no_na', 'number', 'text', 'photo'] as const satisfies readonly ChecklistItem['answer_type'][];
export const EVIDENCE_KINDS = ['none', 'document', 'photo'] as const satisfies readonly ChecklistItem['evidence'][];
export const SEVERITIES = ['observation', 'minor', 'major', 'critical'] as const satisfies readonly ChecklistItem['severity'][];
export const APPLIES_TO = ['producer', 'local_government'] as const satisfies readonly NonNullable<
  ChecklistItemIn['applies_to']
>[];

// ---- inspection work (visit records, answers, findings, actions, evidence) ------------------

export type VisitRecord = JsonOf<paths['/api/v1/visits/{visit_id}/record']['get']['responses'][200]>;
export type VisitRecordUpdate = NonNullable<
  paths['/api/v1/visits/{visit_id}/record']['patch']['requestBody']
>['content']['application/json'];
export type VisitStatus = VisitRecord['status'];
export type VisitTransition = NonNullable<
  paths['/api/v1/visits/{visit_id}/transitions']['post']['requestBody']
>['content']['application/json'];
export type Attendee = VisitRecord['attendees'][number];

export type AnswerList = JsonOf<paths['/api/v1/visits/{visit_id}/answers']['get']['responses'][200]>;
export type Answer = AnswerList['items'][number];
export type AnswerIn = NonNullable<
  paths['/api/v1/visits/{visit_id}/answers']['put']['requestBody']
>['content']['application/json']['answers'][number];
export type AnswerValue = NonNullable<AnswerIn['value']>;

export type EvidencePage = JsonOf<paths['/api/v1/visits/{visit_id}/evidence']['get']['responses'][200]>;
export type Evidence = EvidencePage['items'][number];

export type FindingPage = JsonOf<paths['/api/v1/findings']['get']['responses'][200]>;
export type Finding = JsonOf<paths['/api/v1/findings/{finding_id}']['get']['responses'][200]>;
export type FindingsQuery = NonNullable<paths['/api/v1/findings']['get']['parameters']['query']>;
export type FindingStatus = Finding['status'];
export type Severity = Finding['severity'];
export type FindingTransition = NonNullable<
  paths['/api/v1/findings/{finding_id}/transitions']['post']['requestBody']
>['content']['application/json'];
export type Escalation = NonNullable<FindingTransition['escalation']>;
export type Timeline = JsonOf<paths['/api/v1/findings/{finding_id}/timeline']['get']['responses'][200]>;
export type TimelineEntry = Timeline['items'][number];

export type ActionPage = JsonOf<paths['/api/v1/findings/{finding_id}/actions']['get']['responses'][200]>;
export type CorrectiveAction = ActionPage['items'][number];
export type ActionCreate = NonNullable<
  paths['/api/v1/findings/{finding_id}/actions']['post']['requestBody']
>['content']['application/json'];
export type ActionStatus = CorrectiveAction['status'];

export const VISIT_STATUSES = ['planned', 'in_progress', 'submitted', 'approved', 'locked'] as const satisfies readonly VisitStatus[];

export const FINDING_STATUSES = [
  'open',
  'action_required',
  'response_submitted',
  'verified',
  'closed',
  'dismissed',
  'escalated',
] as const satisfies readonly FindingStatus[];

export const ESCALATIONS = ['revocation_proposed', 'sanction_referred'] as const satisfies readonly Escalation[];

export const ACTION_KINDS = ['corrective', 'preventive'] as const satisfies readonly NonNullable<ActionCreate['kind']>[];
export const ACTION_OWNERS = ['producer', 'unit'] as const satisfies readonly NonNullable<ActionCreate['owner_type']>[];

// ---- compliance -----------------------------------------------------------------------------

export type ProductCompliance = JsonOf<paths['/api/v1/compliance/products/{product_id}']['get']['responses'][200]>;
export type ProducerCompliance = JsonOf<paths['/api/v1/compliance/producers/{producer_id}']['get']['responses'][200]>;
export type ComplianceStatus = ProductCompliance['status'];
export type ComplianceReason = ProductCompliance['reasons'][number];

export const COMPLIANCE_STATUSES = [
  'compliant',
  'conditional',
  'non_compliant',
  'expired',
  'revoked',
  'not_certified',
] as const satisfies readonly ComplianceStatus[];
