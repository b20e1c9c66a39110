import { expect, test } from './fixtures';
import { csvFile, signIn, vnDate } from './support';

// The acceptance test: a coordinator imports the province's list, sees the row error,
// fixes the file, commits, and finds the new product by searching without accents.
test('coordinator imports a list, fixes an error row, commits and finds the product without accents', async ({ page }) => {
  test.setTimeout(90_000);
  const stamp = Date.now();
  const product = `Miến dong Thử Nghiệm ${stamp}`;
  const second = `Bánh khảo Thử Nghiệm ${stamp}`;
  const producer = `HTX Thử Nghiệm ${stamp}`;
  const decided = vnDate(10);
  const row = (n: string, name: string, stars: string, score: string) => [
    n,
    name,
    producer,
    'Hợp tác xã',
    'Xã Bình Gia',
    stars,
    score,
    `${n}/QĐ-UBND-${stamp}`,
    decided,
    '3',
  ];

  await signIn(page, 'coordinator');
  await page.getByTestId('main-nav').getByRole('link', { name: 'Nhập danh sách' }).click();
  await expect(page.getByRole('heading', { name: 'Nhập danh sách sản phẩm OCOP' })).toBeVisible();
  const fileInput = page.locator('input[type="file"]');
  await expect(fileInput).toHaveAttribute('accept', '.xlsx,.csv');

  // 1. a file whose second row has 2 stars: the dry run marks it as an error
  await fileInput.setInputFiles(csvFile('danh-sach-ocop.csv', [row('1', product, '3', '55'), row('2', second, '2', '')]));
  await page.getByTestId('import-upload').click();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-status', 'invalid', { timeout: 20_000 });
  const errorRows = page.getByTestId('import-row-error');
  await expect(errorRows).toHaveCount(1);
  await expect(errorRows).toHaveAttribute('data-row', '3');
  const errorText = await errorRows.getByTestId('import-error-text').first().innerText();
  expect(errorText).toContain('Hạng sao');
  expect(errorText).toContain('từ 3 đến 5');
  expect(errorText).toMatch(/^Cột Hạng sao: /);
  await expect(page.getByTestId('summary-error')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('import-commit')).toBeDisabled();

  // 2. the fixed file (3 stars, score 55) checks clean and can be committed
  await fileInput.setInputFiles(csvFile('danh-sach-ocop.csv', [row('1', product, '3', '55'), row('2', second, '3', '55')]));
  await page.getByTestId('import-upload').click();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-status', 'ready', { timeout: 20_000 });
  await expect(page.getByTestId('import-row-error')).toHaveCount(0);
  await expect(page.getByTestId('summary-create')).toHaveAttribute('data-count', '2');
  const commit = page.getByTestId('import-commit');
  await expect(commit).toBeEnabled();
  await commit.click();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-status', 'committed', { timeout: 30_000 });
  await expect(page.getByTestId('import-committed')).toContainText('Đã ghi 2 dòng');
  await expect(page.getByTestId('import-committed')).toContainText('Sản phẩm: 2 tạo mới');
  await expect(commit).toBeDisabled();
  await expect(page.getByTestId('imports-history')).toContainText('Đã ghi vào sổ');

  // 3. the product is in the registry, found by a search typed without accents
  await page.getByTestId('main-nav').getByRole('link', { name: 'Sản phẩm OCOP' }).click();
  await expect(page.getByTestId('products-table')).toBeVisible();
  await page.getByTestId('list-search').fill(`mien dong thu nghiem ${stamp}`);
  const rows = page.getByTestId('product-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(product);
  await expect(rows.first()).toContainText(producer);
  await expect(rows.first().getByTestId('cert-status')).toHaveText('Còn hiệu lực');
  await expect(rows.first().getByTestId('stars')).toHaveText('★★★');

  // its details show the certificate the import created
  await rows.first().getByTestId('product-name').click();
  await expect(page.getByTestId('product-detail-name')).toHaveText(product);
  await expect(page.getByTestId('certificate-history').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('no-stamps')).toBeVisible();
});
