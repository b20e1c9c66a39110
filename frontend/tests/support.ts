// Shared helpers for the specs (not a spec itself: playwright.config matches *.spec.ts).
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const PASSWORD = 'demo-password';

export async function signIn(page: Page, username: string, password = PASSWORD) {
  await page.goto('/dang-nhap');
  await expect(page.getByTestId('login-form')).toBeVisible();
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByTestId('user-fullname')).not.toBeEmpty();
}

/** The columns of the province's published OCOP list, in its order. */
export const IMPORT_HEADER = [
  'STT',
  'Tên sản phẩm',
  'Chủ thể',
  'Loại hình chủ thể',
  'Địa chỉ / Xã',
  'Hạng sao',
  'Điểm',
  'Số quyết định',
  'Ngày quyết định',
  'Bộ sản phẩm',
];

/** A UTF-8 CSV file (with BOM, as Excel writes "CSV UTF-8") for `setInputFiles`. */
export function csvFile(name: string, rows: string[][]) {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const text = [IMPORT_HEADER, ...rows].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
  return { name, mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + text, 'utf-8') };
}

/** dd/mm/yyyy, `daysAgo` days before today. */
export function vnDate(daysAgo = 0): string {
  const d = new Date(Date.now() - daysAgo * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`;
}

/** A Vietnamese tax code with a correct check digit (10th digit), different on every call. */
export function validTaxCode(): string {
  const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  for (;;) {
    const digits = Array.from({ length: 9 }, (_, i) => (i === 0 ? 1 + Math.floor(Math.random() * 9) : Math.floor(Math.random() * 10)));
    const check = 10 - (weights.reduce((s, w, i) => s + w * digits[i], 0) % 11);
    if (check < 10) return [...digits, check].join('');
  }
}

// ---- inspection work: set-up through the API ------------------------------------------------

/** An access token for `username` (password grant, as the sign-in form does). */
export async function apiToken(request: APIRequestContext, username: string): Promise<string> {
  const res = await request.post('/api/v1/auth/token', {
    form: { grant_type: 'password', username, password: PASSWORD },
  });
  expect(res.ok(), `sign-in of ${username}`).toBeTruthy();
  return (await res.json()).access_token as string;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** GET (JSON) with a token; fails the test on an error status. */
export async function apiGet<T = any>(request: APIRequestContext, token: string, path: string): Promise<T> {
  const res = await request.get(path, { headers: bearer(token) });
  expect(res.ok(), `GET ${path}: ${res.status()}`).toBeTruthy();
  return (await res.json()) as T;
}

/** POST (JSON) with a token; fails the test on an error status. */
export async function apiPost<T = any>(request: APIRequestContext, token: string, path: string, data: unknown): Promise<T> {
  const res = await request.post(path, { headers: bearer(token), data });
  expect(res.ok(), `POST ${path}: ${res.status()} ${await res.text()}`).toBeTruthy();
  return (await res.json()) as T;
}

/**
 * A new site visit of the seeded 2024 campaign (in progress) to HTX Đồng Bành for "Na Chi Lăng",
 * added by the coordinator; its id, the campaign's id and the product's.
 */
export async function addNaChiLangVisit(request: APIRequestContext, place: string, day = '2024-06-20') {
  const coordinator = await apiToken(request, 'coordinator');
  const campaign = (await apiGet(request, coordinator, '/api/v1/campaigns?year=2024')).items[0];
  const product = (await apiGet(request, coordinator, '/api/v1/products?q=na%20chi%20lang')).items.find(
    (p: { name: string }) => p.name === 'Na Chi Lăng',
  );
  const units = (await apiGet(request, coordinator, `/api/v1/campaigns/${campaign.id}/units`)).items;
  const unit = units.find((u: { name: string }) => u.name === 'Huyện Chi Lăng') ?? units[0];
  const visit = await apiPost(request, coordinator, `/api/v1/campaigns/${campaign.id}/visits`, {
    kind: 'site_visit',
    starts_at: `${day}T08:00:00+07:00`,
    ends_at: `${day}T10:30:00+07:00`,
    place,
    admin_unit_id: unit.admin_unit_id,
    programme: 'Kiểm tra lại việc sử dụng tem OCOP và truy xuất nguồn gốc.',
    targets: [{ producer_id: product.producer_id, product_id: product.id }],
  });
  return { visitId: visit.id as number, campaignId: campaign.id as number, productId: product.id as number };
}

/** A small JPEG drawn by the browser (the API checks the type from the content), for `setInputFiles`. */
export async function jpegFile(page: Page, name: string) {
  // a string expression: the specs are type-checked without the DOM library
  const base64 = await page.evaluate<string>(`(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    const g = canvas.getContext('2d');
    g.fillStyle = '#2f9e44';
    g.fillRect(0, 0, 64, 48);
    g.fillStyle = '#ffffff';
    g.fillRect(10, 10, 24, 16);
    return canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
  })()`);
  return { name, mimeType: 'image/jpeg', buffer: Buffer.from(base64, 'base64') };
}

export async function signOut(page: Page) {
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('login-form')).toBeVisible();
}
