// RFC 9457 problem+json handling and mapping of errors to translatable messages.
import vi from '../i18n/vi.json';

export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type?: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string | null;
  instance?: string | null;
  code?: string | null;
  error?: string | null;
  errors?: ValidationIssue[];
  [key: string]: unknown;
}

/** Error thrown for any non-2xx API response. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  readonly retryAfter: number | null;

  constructor(status: number, problem: Problem | null, retryAfter: number | null = null) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  get code(): string | null {
    return this.problem?.code ?? null;
  }
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && ('status' in value || 'title' in value || 'code' in value);
}

function parseRetryAfter(response: Response | undefined): number | null {
  const raw = response?.headers.get('Retry-After');
  if (!raw) return null;
  const n = Number(raw);
  if (Number.isFinite(n)) return n;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - Date.now()) / 1000));
}

export function toApiError(error: unknown, response: Response | undefined): ApiError {
  const status = response?.status ?? (isProblem(error) && typeof error.status === 'number' ? error.status : 0);
  let problem: Problem | null = null;
  if (isProblem(error)) problem = error;
  else if (typeof error === 'string' && error.trim()) problem = { detail: error, status };
  return new ApiError(status, problem, parseRetryAfter(response));
}

/** Result shape of an openapi-fetch call. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Returns `data` for a successful openapi-fetch result, otherwise throws ApiError. */
export function unwrap<T>(result: FetchResult<T>): T {
  if (result.response.ok && result.error === undefined) return result.data as T;
  throw toApiError(result.error, result.response);
}

/** Like unwrap, for responses without a body (204). */
export function ensureOk(result: FetchResult<unknown>): void {
  if (!result.response.ok) throw toApiError(result.error, result.response);
}

/** True when the browser could not reach the server at all (fetch rejected). */
export function isNetworkError(error: unknown): boolean {
  if (error instanceof ApiError) return error.status === 0;
  if (error instanceof TypeError) return true; // fetch() rejects with TypeError on network failure
  return error instanceof Error && error.name === 'NetworkError';
}

/** Error codes that have their own translated message (errors.<code>). */
export const KNOWN_CODES = [
  'invalid_grant',
  'account_locked',
  'too_many_attempts',
  'wrong_password',
  'stale_version',
  'precondition_required',
  'duplicate_username',
  'duplicate_code',
  'self_lockout',
  'forbidden',
  'forbidden_role',
  'not_authenticated',
  'user_not_found',
  'agency_not_found',
  'admin_unit_not_found',
  'duplicate_tax_code',
  'duplicate_product',
  'producer_not_found',
  'product_not_found',
  'certificate_not_found',
  'import_not_found',
  'import_not_ready',
  'campaign_not_found',
  'campaign_incomplete',
  'campaign_not_editable',
  'campaign_closed',
  'transition_not_allowed',
  'transition_forbidden',
  'document_number_taken',
  'campaign_not_issued',
  'document_version_not_found',
  'team_head_exists',
  'team_member_exists',
  'unit_already_added',
  'unit_has_visits',
  'unit_has_report',
  'visit_not_planned',
  'checklist_frozen',
  'duplicate_item_code',
  'local_report_exists',
  'local_report_incomplete',
  'local_report_locked',
  'campaign_not_open_for_reports',
  'unsupported_file_type',
  'content_mismatch',
  'file_empty',
  'payload_too_large',
  'visit_not_found',
  'visit_not_in_progress',
  'not_in_team',
  'campaign_not_running',
  'finding_not_found',
  'duplicate_finding',
  'campaign_not_in_progress',
  'visit_not_in_campaign',
  'producer_not_scheduled',
  'product_not_scheduled',
  'owner_unit_not_found',
  'owner_unit_cannot_see_finding',
  'owner_unit_required',
  'producer_not_team_member',
  'local_report_not_submitted',
  'finding_not_open',
  'finding_closed',
  'action_not_found',
  'action_closed',
  'not_action_owner',
  'action_not_open',
  'action_not_responded',
  'evidence_not_found',
  'no_product',
  'body_too_large',
  'idempotency_key_invalid',
  'idempotency_body_too_large',
  'idempotency_key_reused',
  'invalid_cursor',
  'storage_unavailable',
  'database_unavailable',
  'template_too_costly',
  'template_unsafe',
  'template_invalid',
  'unit_not_in_campaign',
  'import_too_many_rows',
  'import_unpacked_too_large',
] as const;

/** Every code with its own text in the Vietnamese messages (errors.<code>): a Vietnamese user never reads the
 * server's English `detail` for them (tests/core/test_problem_codes.py checks that every code the server sends is
 * there). */
const TRANSLATED_CODES: ReadonlySet<string> = new Set(Object.keys(vi.errors));

/** Codes meaning "the session is over"; shown as such on the sign-in page. */
export const SESSION_CODES = ['invalid_token', 'invalid_refresh_token', 'refresh_reused'] as const;

export interface ErrorMessage {
  /** i18n key to translate (always set). */
  key: string;
  /** Interpolation values for the key. */
  values?: Record<string, string | number>;
  /** Server-provided text to show verbatim instead of the key (unknown codes). */
  text?: string;
}

const STATUS_KEYS: Record<number, string> = {
  401: 'errors.not_authenticated',
  403: 'errors.forbidden',
  404: 'errors.not_found',
  409: 'errors.conflict',
  412: 'errors.stale_version',
  428: 'errors.precondition_required',
  429: 'errors.too_many_attempts',
};

/**
 * Maps any thrown error to a message descriptor. Known problem `code`s map to
 * their own translation key, unknown codes show the server's `detail`, network
 * failures map to `errors.network`.
 */
export function describeError(error: unknown): ErrorMessage {
  if (isNetworkError(error)) return { key: 'errors.network' };
  if (error instanceof ApiError) {
    const code = error.code;
    if (code && (SESSION_CODES as readonly string[]).includes(code)) {
      return { key: 'auth.sessionExpired' };
    }
    if (code === 'import_missing_columns' && Array.isArray(error.problem?.missing_labels)) {
      return { key: `errors.${code}`, values: { columns: (error.problem.missing_labels as string[]).join(', ') } };
    }
    if (code && (TRANSLATED_CODES.has(code) || (KNOWN_CODES as readonly string[]).includes(code))) {
      return { key: `errors.${code}` };
    }
    const detail = error.problem?.detail?.trim();
    if (detail) return { key: 'errors.unknown', text: detail };
    if (STATUS_KEYS[error.status]) return { key: STATUS_KEYS[error.status] };
    if (error.status >= 500) return { key: 'errors.server', values: { status: error.status } };
    const title = error.problem?.title?.trim();
    if (title) return { key: 'errors.unknown', text: title };
    return { key: 'errors.unknown' };
  }
  return { key: 'errors.unknown' };
}

/** Drops the "Value error, " prefix Pydantic puts before messages raised by validators. */
export function cleanMessage(msg: string): string {
  return typeof msg === 'string' ? msg.replace(/^(Value|Assertion) error,\s*/, '') : String(msg ?? '');
}

export interface SplitValidation {
  /** Messages keyed by form field name. */
  fields: Record<string, string>;
  /** Messages that could not be attached to a field. */
  general: string[];
}

/**
 * Splits 422 `errors[]` into per-field messages (when the last string part of
 * `loc` is one of `fieldNames`) and general messages.
 */
export function splitValidationErrors(error: unknown, fieldNames: readonly string[]): SplitValidation {
  const result: SplitValidation = { fields: {}, general: [] };
  if (!(error instanceof ApiError)) return result;
  const issues = Array.isArray(error.problem?.errors) ? error.problem!.errors! : [];
  for (const issue of issues) {
    const loc = Array.isArray(issue.loc) ? issue.loc : [];
    const field = [...loc].reverse().find((p): p is string => typeof p === 'string' && fieldNames.includes(p));
    const msg = cleanMessage(issue.msg);
    if (field) {
      result.fields[field] = result.fields[field] ? `${result.fields[field]}; ${msg}` : msg;
    } else {
      const where = loc.filter((p) => p !== 'body').join('.');
      result.general.push(where ? `${where}: ${msg}` : msg);
    }
  }
  return result;
}
