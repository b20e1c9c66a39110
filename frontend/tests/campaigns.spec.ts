import { expect, test, type Page } from './fixtures';
import { signIn, signOut } from './support';

/** Picks the option of a searchable Mantine select after typing `search` into it. */
async function choose(page: Page, testId: string, search: string, option: RegExp) {
  const input = page.getByTestId(testId);
  await input.click();
  await input.fill(search);
  await page.getByRole('option', { name: option }).first().click();
}

test('a plan goes from draft to issued, and the district sends its report', async ({ page }) => {
  test.setTimeout(120_000);
  const title = `Kiểm tra sản phẩm OCOP huyện Chi Lăng (thử nghiệm ${Date.now()})`;
  const year = new Date().getFullYear() + 1;
  const visitPlace = 'Hội trường UBND huyện Chi Lăng';

  // ---- the coordinator drafts the plan
  await signIn(page, 'coordinator');
  await page.getByTestId('main-nav').getByRole('link', { name: 'Kế hoạch kiểm tra' }).click();
  await expect(page.getByTestId('campaigns-table')).toBeVisible();
  await page.getByRole('link', { name: 'Tạo kế hoạch' }).click();

  await page.getByTestId('plan-title').fill(title);
  await page.getByTestId('plan-year').fill(String(year));
  await choose(page, 'plan-agency', 'Nông nghiệp và Môi trường', /^Sở Nông nghiệp và Môi trường/);
  await page.getByTestId('plan-place').fill('Lạng Sơn');
  await page.getByTestId('plan-areas-add').click();
  await page.getByTestId('plan-area-title').fill('Công tác quản lý và sử dụng nhãn hiệu chứng nhận sản phẩm OCOP.');
  await page.getByTestId('plan-period-kind').getByText('Theo quý').click();
  await page.getByTestId('plan-period-quarter').click();
  await page.getByRole('option', { name: 'Quý II', exact: true }).click();
  await page.getByTestId('plan-period-year').fill(String(year));
  await choose(page, 'create-unit-add', 'Chi Lăng', /^Huyện Chi Lăng/);
  await expect(page.getByTestId('create-unit')).toHaveText(/Huyện Chi Lăng/);
  await page.getByTestId('campaign-create-save').click();

  await expect(page.getByTestId('campaign-title')).toHaveText(title);
  await expect(page.getByTestId('campaign-status')).toHaveText('Dự thảo');
  const campaignUrl = page.url();
  const doc = page.getByTestId('plan-document');
  await expect(doc.getByTestId('doc-number')).toHaveText('Số: (chưa cấp số)');
  await expect(doc.getByTestId('doc-period')).toHaveText(`Quý II/${year}`);
  await expect(doc.getByTestId('doc-units')).toContainText('Huyện Chi Lăng');
  await expect(doc.getByTestId('doc-areas')).toContainText('1. Công tác quản lý và sử dụng nhãn hiệu');

  // ---- the team: the leader as its head; the "no head" warning goes away
  await page.getByTestId('tab-team').click();
  await expect(page.getByTestId('team-empty')).toBeVisible();
  await expect(page.getByTestId('plan-warnings')).toContainText('Chưa có Trưởng đoàn');
  await page.getByTestId('member-add').click();
  await choose(page, 'member-user', 'Lý Việt Hưng', /^Lý Việt Hưng/);
  await page.getByTestId('member-role').click();
  await page.getByRole('option', { name: 'Trưởng đoàn', exact: true }).click();
  await page.getByTestId('member-save').click();
  await expect(page.getByTestId('member-form')).toHaveCount(0);
  const head = page.getByTestId('member-row').filter({ hasText: 'Lý Việt Hưng' });
  await expect(head).toHaveCount(1);
  await expect(head.getByTestId('member-role-select')).toHaveValue('Trưởng đoàn');
  await expect(page.getByTestId('plan-warnings')).toHaveCount(0);

  // ---- the schedule: a working session in the district
  await page.getByTestId('tab-schedule').click();
  await expect(page.getByTestId('schedule-empty')).toBeVisible();
  await page.getByTestId('visit-add').click();
  const form = page.getByTestId('visit-form');
  await expect(form.getByTestId('visit-unit')).toHaveValue(/Huyện Chi Lăng/);
  await form.getByTestId('visit-date').fill(`${year}-05-12`);
  await form.getByTestId('visit-start').fill('08:00');
  await form.getByTestId('visit-end').fill('11:00');
  await form.getByTestId('visit-place').fill(visitPlace);
  await form.getByTestId('visit-programme').fill('Nghe UBND huyện báo cáo kết quả thực hiện Chương trình OCOP.');
  await form.getByTestId('visit-save').click();
  await expect(form).toHaveCount(0);
  const day = page.getByTestId('schedule-day');
  await expect(day).toHaveCount(1);
  await expect(day).toContainText(`12/05/${year}`);
  const card = day.getByTestId('visit-card');
  await expect(card).toContainText('08:00–11:00');
  await expect(card).toContainText('Làm việc với địa phương');
  await expect(card).toContainText(visitPlace);
  // the month view shows it on its day
  await page.getByTestId('schedule-view').getByText('Lịch tháng').click();
  await expect(page.getByTestId('calendar-month')).toHaveText(`Tháng 5/${year}`);
  await expect(page.locator(`[data-testid="calendar-day"][data-date="${year}-05-12"]`)).toContainText(visitPlace);

  // ---- submit for approval
  await page.getByTestId('transition-submitted').click();
  await expect(page.getByTestId('note-dialog')).toBeVisible();
  await page.getByTestId('note-confirm').click();
  await expect(page.getByTestId('campaign-status')).toHaveText('Đã trình');
  await expect(page.getByTestId('transition-submitted')).toHaveCount(0);
  await signOut(page);

  // ---- the leader issues it with the number the clerk took from the register; never one the system invents
  await signIn(page, 'leader');
  await page.goto(campaignUrl);
  await expect(page.getByTestId('campaign-status')).toHaveText('Đã trình');
  await page.getByTestId('transition-issued').click();
  await expect(page.getByTestId('issue-number')).toBeVisible();
  await page.getByTestId('note-confirm').click(); // without a number: refused, still submitted
  await expect(page.getByRole('dialog')).toBeVisible();
  await expect(page.getByTestId('campaign-status')).toHaveText('Đã trình');
  const registered = 100 + Math.floor(Math.random() * 900);
  await page.getByTestId('issue-number').fill(`${registered}/kh-snn`);
  await page.getByTestId('note-confirm').click();
  await expect(page.getByTestId('campaign-status')).toHaveText('Đã ban hành');
  await expect(page.getByTestId('campaign-number')).toHaveText(`Số: ${registered}/KH-SNN`);
  const number = `${registered}/KH-SNN`;
  await expect(page.getByTestId('plan-document').getByTestId('doc-number')).toHaveText(`Số: ${number}`);
  await expect(page.getByTestId('revision-row')).toHaveCount(1);
  await signOut(page);

  // ---- the district's officer finds the plan, writes the report and sends it
  await signIn(page, 'local_chilang');
  await page.getByTestId('main-nav').getByRole('link', { name: 'Kế hoạch kiểm tra' }).click();
  await page.getByTestId('list-search').fill(title);
  await expect(page.getByTestId('campaign-row')).toHaveCount(1);
  await expect(page.getByTestId('campaign-row')).toContainText(number);
  await page.getByTestId('campaign-row').getByRole('link', { name: title }).click();
  await expect(page.getByTestId('campaign-title')).toHaveText(title);
  // a local officer gets the plan, the schedule, the tasks, the reports and the documents, not the team
  await expect(page.getByRole('tab')).toHaveText(['Kế hoạch', 'Lịch kiểm tra', 'Nhiệm vụ', 'Báo cáo địa phương', 'Văn bản']);
  await page.getByTestId('tab-schedule').click();
  await expect(page.getByTestId('visit-card')).toContainText(visitPlace);
  await expect(page.getByTestId('visit-add')).toHaveCount(0);

  await page.getByTestId('tab-reports').click();
  const row = page.getByTestId('report-row').filter({ hasText: 'Huyện Chi Lăng' });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('report-status')).toHaveText('Chưa lập');
  await row.getByRole('button', { name: 'Lập báo cáo' }).click();
  const report = page.getByTestId('report-panel');
  await report.getByLabel('3 sao', { exact: true }).fill('4');
  await report.getByLabel('4 sao', { exact: true }).fill('2');
  await report.getByLabel('Hợp tác xã', { exact: true }).fill('5');
  await expect(report).toContainText('Tổng: 6');
  await report
    .getByTestId('report-results')
    .fill('Huyện đã triển khai kế hoạch thực hiện Chương trình OCOP; các chủ thể duy trì sản xuất.');
  await report.getByTestId('report-difficulties').fill('Một số chủ thể chưa đăng ký đánh giá lại.');
  await report.getByTestId('report-submit').click();

  await expect(row.getByTestId('report-status')).toHaveText('Đã gửi');
  await expect(report.getByTestId('report-status')).toHaveText('Đã gửi');
  await expect(report.getByTestId('report-submit')).toHaveCount(0);
  await expect(report).toContainText('Huyện đã triển khai kế hoạch thực hiện Chương trình OCOP');
});
