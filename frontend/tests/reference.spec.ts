import { expect, test, type Page } from './fixtures';
import { signIn } from './support';

async function choose(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('the registers of administrative units and agencies: search, kind, and what was in force on a date', async ({
  page,
}) => {
  await signIn(page, 'viewer');

  // ---- administrative units: the district abolished in 2025 and the commune formed from its parts
  await page.getByTestId('main-nav').getByRole('link', { name: 'Đơn vị hành chính' }).click();
  const units = page.getByTestId('admin-units-table').locator('tbody tr');
  await expect(page.getByRole('heading', { name: 'Đơn vị hành chính', level: 2 })).toBeVisible();
  await expect(units.first()).toBeVisible();
  expect(await units.count()).toBeGreaterThan(10);

  await page.getByTestId('list-search').fill('Chi Lăng');
  await choose(page, 'filter-level', 'Huyện');
  await expect(units).toHaveCount(1);
  await expect(units.first()).toContainText('Huyện Chi Lăng');
  await expect(units.first()).toContainText('Hết hiệu lực');

  await choose(page, 'filter-level', 'Xã');
  const commune = units.filter({ hasText: 'Xã Chi Lăng' });
  await expect(commune).toHaveCount(1);
  await expect(commune).toContainText('Còn hiệu lực');
  await expect(commune).toContainText('Thị trấn Đồng Mỏ, thị trấn Chi Lăng, xã Chi Lăng (huyện Chi Lăng)');
  await expect(commune).toContainText('01/07/2025');

  // on 1 June 2024 the new communes did not exist yet
  await page.getByTestId('filter-active-on').fill('2024-06-01');
  await expect(page.getByText('Không có kết quả phù hợp với bộ lọc.')).toBeVisible();
  await page.getByRole('button', { name: 'Xóa bộ lọc' }).click();
  await expect(page.getByTestId('list-search')).toHaveValue('');
  await expect.poll(() => units.count()).toBeGreaterThan(10);

  // ---- agencies: the sub-department before and after the 2025 merger of the departments
  await page.getByTestId('main-nav').getByRole('link', { name: 'Cơ quan' }).click();
  const agencies = page.getByTestId('agencies-table').locator('tbody tr');
  // the units page stays on screen while the agencies page loads: type only once it is there
  await expect(page.getByRole('heading', { name: 'Cơ quan', level: 2 })).toBeVisible();
  await expect(agencies.first()).toBeVisible();
  await page.getByTestId('list-search').fill('Phát triển nông thôn');
  await choose(page, 'filter-kind', 'Chi cục');
  await expect(agencies).toHaveCount(2);
  await expect(agencies.filter({ hasText: 'Còn hiệu lực' })).toHaveCount(1);
  await expect(agencies.filter({ hasText: 'Hết hiệu lực' })).toHaveCount(1);
  await page.getByTestId('filter-active-on').fill('2024-06-01');
  await expect(agencies).toHaveCount(1);
  await expect(agencies.first()).toContainText('SNN-CCPTNT');
  await expect(agencies.first()).toContainText('Hết hiệu lực');
});
