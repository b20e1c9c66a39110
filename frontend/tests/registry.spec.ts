import { expect, test } from './fixtures';
import { signIn, validTaxCode } from './support';

const CERT_LABELS = ['Còn hiệu lực', 'Sắp hết hiệu lực', 'Hết hiệu lực', 'Đã thu hồi', 'Đã được thay thế', 'Chưa có chứng nhận'];

test('viewer sees the products with certificate status badges, can download them, but has no import menu', async ({
  page,
}) => {
  await signIn(page, 'viewer');
  const nav = page.getByTestId('main-nav');
  await expect(nav.getByRole('link', { name: 'Sản phẩm OCOP' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Chủ thể' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Nhập danh sách' })).toHaveCount(0);

  await nav.getByRole('link', { name: 'Sản phẩm OCOP' }).click();
  await expect(page.getByTestId('products-table')).toBeVisible();
  const badges = page.getByTestId('cert-status');
  await expect(badges.first()).toBeVisible();
  expect(await badges.count()).toBeGreaterThan(0);
  for (const text of await badges.allInnerTexts()) expect(CERT_LABELS).toContain(text.trim());
  await expect(page.getByTestId('products-table').getByText('Còn hiệu lực').first()).toBeVisible();

  // filter by certificate status: every row shown has that status
  await page.getByTestId('filter-cert-status').click();
  await page.getByRole('option', { name: 'Sắp hết hiệu lực' }).click();
  await expect(page.getByTestId('cert-status').first()).toHaveAttribute('data-status', 'expiring');
  for (const status of await page.getByTestId('cert-status').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))) {
    expect(status).toBe('expiring');
  }

  // the filtered list downloads under the server's file name
  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  expect((await download).suggestedFilename()).toBe('san-pham-ocop.csv');

  // the import page itself is closed to viewers
  await page.goto('/nhap-du-lieu');
  await expect(page.getByText('Bạn không có quyền truy cập trang này.')).toBeVisible();
});

test('coordinator registers a producer; a bad tax code shows the server message next to the field', async ({ page }) => {
  const name = `Tổ hợp tác Thử Nghiệm ${Date.now()}`;
  await signIn(page, 'coordinator');
  await page.getByTestId('main-nav').getByRole('link', { name: 'Chủ thể' }).click();
  await expect(page.getByTestId('producers-table')).toBeVisible();

  await page.getByTestId('producer-create').click();
  const form = page.getByTestId('producer-form');
  await form.getByTestId('producer-name').fill(name);
  await form.getByTestId('producer-kind').click();
  await page.getByRole('option', { name: 'Tổ hợp tác' }).click();
  await form.getByTestId('producer-unit').click();
  await form.getByTestId('producer-unit').fill('Bình Gia');
  await page.getByRole('option', { name: /^Xã Bình Gia/ }).click();
  await form.getByTestId('producer-tax-code').fill('12345');
  await form.getByTestId('producer-save').click();
  await expect(form.getByText(/Mã số thuế của tổ hợp tác phải là 10 chữ số/)).toBeVisible();
  await expect(form.getByTestId('producer-tax-code')).toHaveAttribute('aria-invalid', 'true');

  await form.getByTestId('producer-tax-code').fill(validTaxCode());
  await form.getByTestId('producer-save').click();
  await expect(form).toHaveCount(0);
  await page.getByTestId('list-search').fill(name);
  await expect(page.getByTestId('producer-row')).toHaveCount(1);
  await expect(page.getByTestId('producer-row')).toContainText('Tổ hợp tác');
  await expect(page.getByTestId('producer-row')).toContainText('Xã Bình Gia');
});
