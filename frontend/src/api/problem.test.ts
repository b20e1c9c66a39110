import { describe, expect, it } from 'vitest';
import { ApiError, describeError, isNetworkError, splitValidationErrors, toApiError, unwrap } from './problem';
import vi from '../i18n/vi.json';
import en from '../i18n/en.json';

const problem = (status: number, code?: string, detail?: string) =>
  new ApiError(status, { type: 'about:blank', title: 'Error', status, code, detail });

function translate(resources: Record<string, unknown>, key: string): string {
  return key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], resources) as string;
}

describe('describeError', () => {
  it('maps sign-in codes to their own messages', () => {
    expect(describeError(problem(400, 'invalid_grant', 'bad credentials'))).toEqual({ key: 'errors.invalid_grant' });
    expect(describeError(problem(400, 'account_locked'))).toEqual({ key: 'errors.account_locked' });
    expect(describeError(problem(429, 'too_many_attempts'))).toEqual({ key: 'errors.too_many_attempts' });
  });

  it('translates the sign-in messages exactly', () => {
    expect(translate(vi, 'errors.invalid_grant')).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(translate(en, 'errors.invalid_grant')).toBe('Wrong username or password.');
    expect(translate(vi, 'errors.account_locked')).toBe(
      'Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau 15 phút.',
    );
    expect(translate(vi, 'errors.too_many_attempts')).toBe('Quá nhiều lần thử từ địa chỉ này. Vui lòng thử lại sau.');
    expect(translate(vi, 'errors.network')).toBe('Không kết nối được máy chủ. Kiểm tra kết nối mạng và thử lại.');
  });

  it('maps network failures (fetch TypeError) to errors.network', () => {
    const err = new TypeError('Failed to fetch');
    expect(isNetworkError(err)).toBe(true);
    expect(describeError(err)).toEqual({ key: 'errors.network' });
  });

  it('shows the server detail for unknown codes', () => {
    expect(describeError(problem(400, 'something_new', 'Chi tiết từ máy chủ'))).toEqual({
      key: 'errors.unknown',
      text: 'Chi tiết từ máy chủ',
    });
  });

  it('gives every code with a Vietnamese text that text, not the English detail', () => {
    expect(describeError(problem(409, 'campaign_not_amendable', 'Only an issued plan is amended.'))).toEqual({
      key: 'errors.campaign_not_amendable',
    });
    expect(translate(vi, 'errors.campaign_not_amendable')).toContain('kế hoạch đã ban hành');
    expect(describeError(problem(409, 'pdf_unavailable', 'LibreOffice is not installed'))).toEqual({
      key: 'errors.pdf_unavailable',
    });
  });

  it('maps ended-session codes to the session-expired message', () => {
    expect(describeError(problem(401, 'invalid_refresh_token', 'x'))).toEqual({ key: 'auth.sessionExpired' });
    expect(describeError(problem(401, 'refresh_reused'))).toEqual({ key: 'auth.sessionExpired' });
  });

  it('maps backend domain codes (duplicate_username, self_lockout, stale_version)', () => {
    expect(describeError(problem(409, 'duplicate_username', 'The username x is taken.'))).toEqual({
      key: 'errors.duplicate_username',
    });
    expect(describeError(problem(409, 'self_lockout'))).toEqual({ key: 'errors.self_lockout' });
    expect(describeError(problem(412, 'stale_version'))).toEqual({ key: 'errors.stale_version' });
  });

  it('maps registry codes and keeps the detail of import file errors', () => {
    expect(describeError(problem(409, 'duplicate_tax_code', 'x'))).toEqual({ key: 'errors.duplicate_tax_code' });
    expect(describeError(problem(409, 'import_not_ready', 'x'))).toEqual({ key: 'errors.import_not_ready' });
    expect(describeError(problem(415, 'import_not_spreadsheet', 'Not a table'))).toEqual({
      key: 'errors.import_not_spreadsheet',
    });
    const missing = new ApiError(422, {
      status: 422, code: 'import_missing_columns', detail: 'x', missing_labels: ['Tên sản phẩm', 'Hạng sao'],
    });
    expect(describeError(missing)).toEqual({
      key: 'errors.import_missing_columns', values: { columns: 'Tên sản phẩm, Hạng sao' },
    });
    expect(translate(vi, 'errors.import_missing_columns')).toBe('Tệp thiếu cột bắt buộc: {{columns}}.');
  });

  it('falls back to status-based messages', () => {
    expect(describeError(problem(403))).toEqual({ key: 'errors.forbidden' });
    expect(describeError(problem(412))).toEqual({ key: 'errors.stale_version' });
    expect(describeError(problem(429))).toEqual({ key: 'errors.too_many_attempts' });
    expect(describeError(problem(503))).toEqual({ key: 'errors.server', values: { status: 503 } });
    expect(describeError(new Error('boom'))).toEqual({ key: 'errors.unknown' });
  });
});

describe('toApiError / unwrap', () => {
  it('reads status, problem body and Retry-After', () => {
    const response = new Response(null, { status: 429, headers: { 'Retry-After': '30' } });
    const err = toApiError({ status: 429, title: 'Too Many Requests', code: 'too_many_attempts' }, response);
    expect(err.status).toBe(429);
    expect(err.code).toBe('too_many_attempts');
    expect(err.retryAfter).toBe(30);
  });

  it('returns data on success and throws ApiError otherwise', () => {
    expect(unwrap({ data: { ok: 1 }, response: new Response('{}', { status: 200 }) })).toEqual({ ok: 1 });
    expect(() => unwrap({ error: { status: 400, code: 'invalid_grant' }, response: new Response(null, { status: 400 }) })).toThrow(
      ApiError,
    );
  });
});

describe('splitValidationErrors', () => {
  it('attaches errors to fields by loc and keeps the rest general', () => {
    const err = new ApiError(422, {
      status: 422,
      title: 'Unprocessable',
      errors: [
        { loc: ['body', 'new_password'], msg: 'String should have at least 10 characters', type: 'string_too_short' },
        { loc: ['body', 'roles', 0], msg: 'Input should be admin, …', type: 'enum' },
        { loc: ['body'], msg: 'Something global', type: 'value_error' },
        { loc: ['query', 'limit'], msg: 'Too big', type: 'less_than_equal' },
      ],
    });
    const split = splitValidationErrors(err, ['new_password', 'roles', 'username']);
    expect(split.fields).toEqual({
      new_password: 'String should have at least 10 characters',
      roles: 'Input should be admin, …',
    });
    expect(split.general).toEqual(['Something global', 'query.limit: Too big']);
  });

  it('drops the Pydantic "Value error, " prefix so the server\'s Vietnamese text shows as is', () => {
    const err = new ApiError(422, {
      status: 422,
      errors: [{ loc: ['body', 'tax_code'], msg: 'Value error, Mã số thuế phải gồm 10 chữ số.', type: 'value_error' }],
    });
    expect(splitValidationErrors(err, ['tax_code']).fields).toEqual({ tax_code: 'Mã số thuế phải gồm 10 chữ số.' });
  });

  it('returns nothing for non-validation errors', () => {
    expect(splitValidationErrors(new Error('x'), ['a'])).toEqual({ fields: {}, general: [] });
  });
});

describe('i18n resources', () => {
  const flatten = (o: Record<string, unknown>, p = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) =>
      typeof v === 'object' && v !== null ? flatten(v as Record<string, unknown>, `${p}${k}.`) : [`${p}${k}`],
    );
  it('vi and en define the same keys', () => {
    expect(flatten(en).sort()).toEqual(flatten(vi).sort());
  });
  it('has the app subtitle in Vietnamese', () => {
    expect(vi.app.title).toBe('OCOP Inspect');
    expect(vi.app.subtitle).toBe('Kiểm tra Chương trình mỗi xã một sản phẩm');
  });
});
