// Shared helpers for the registry specs (not a spec itself: playwright.config matches *.spec.ts).
import { expect, type Page } from '@playwright/test';

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
