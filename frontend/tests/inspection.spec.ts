import { expect, test, type Locator, type Page } from './fixtures';
import { addNaChiLangVisit, jpegFile, signIn, signOut } from './support';

const FAILED = 'ND3.05';
const FAILED_NOTE = 'Chưa có sổ theo dõi cấp phát, sử dụng tem OCOP.';

/** Answers every item shown: "Không đạt" for `failed`, "Đạt" for the other yes/no items, figures and texts. */
async function answerAll(page: Page, failed: string) {
  const cards = page.getByTestId('answer-item');
  const count = await cards.count();
  expect(count).toBeGreaterThan(15);
  for (let i = 0; i < count; i++) {
    const card = cards.nth(i);
    const code = await card.getAttribute('data-code');
    if ((await card.getByTestId('answer-yes').count()) > 0) {
      await card.getByTestId(code === failed ? 'answer-no' : 'answer-yes').click();
    } else if ((await card.getByTestId('answer-number').count()) > 0) {
      await card.getByTestId('answer-number').fill('12');
    } else if ((await card.getByTestId('answer-text').count()) > 0) {
      await card.getByTestId('answer-text').fill('Tiêu thụ qua cửa hàng và sàn thương mại điện tử.');
    }
  }
}

async function openFromNav(page: Page, name: string) {
  await page.getByTestId('main-nav').getByRole('link', { name, exact: true }).click();
}

/** Accepts the answer to the action on the finding page open in `page`. */
async function acceptAction(page: Page, card: Locator) {
  await card.getByTestId('action-accept').click();
  await expect(page.getByTestId('note-dialog')).toBeVisible();
  await page.getByTestId('note-input').fill('Đã kiểm tra ảnh chụp, đạt yêu cầu.');
  await page.getByTestId('note-confirm').click();
  await expect(card.getByTestId('action-status')).toHaveText('Đã chấp nhận');
}

test('a visit is recorded on site, its finding corrected by the producer and verified: the product complies', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const place = `Trụ sở HTX Đồng Bành — kiểm tra lại (thử nghiệm ${Date.now()})`;
  const { visitId, campaignId } = await addNaChiLangVisit(request, place);

  // ---- inspector1 opens the visit from the plan's schedule and starts it
  await signIn(page, 'inspector1');
  await page.goto(`/ke-hoach/${campaignId}?tab=lich`);
  const card = page.locator(`[data-testid="visit-card"][data-visit-id="${visitId}"]`);
  await expect(card).toContainText(place);
  await card.getByTestId('visit-open').click();
  await expect(page).toHaveURL(new RegExp(`/luot-kiem-tra/${visitId}$`));
  await expect(page.getByTestId('visit-place')).toHaveText(place);
  await expect(page.getByTestId('visit-targets')).toContainText('Đồng Bành — Na Chi Lăng');
  await expect(page.getByTestId('visit-status')).toHaveText('Chưa bắt đầu');
  await page.getByTestId('visit-start').click();
  await expect(page.getByTestId('visit-status')).toHaveText('Đang kiểm tra');

  // ---- the record and the checklist (site visit: the producer's items, for Na Chi Lăng)
  await page.getByTestId('attendee-name').fill('Nguyễn Văn Bành');
  await page.getByTestId('attendee-title').fill('Giám đốc HTX');
  await page.getByTestId('record-note').fill('Đoàn kiểm tra thực tế kho tem và điểm bán tại trụ sở HTX.');
  await expect(page.getByTestId('checklist-target')).toContainText('Na Chi Lăng');
  await answerAll(page, FAILED);
  const failed = page.locator(`[data-testid="answer-item"][data-code="${FAILED}"]`);
  await failed.getByTestId('answer-note').fill(FAILED_NOTE);
  await expect(failed.getByTestId('answer-no')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('checklist-failed')).toHaveText('Không đạt: 1');

  // a photo of the item, from the camera
  await failed.getByTestId('answer-photo-input').setInputFiles(await jpegFile(page, 'so-theo-doi-tem.jpg'));
  await expect(failed.getByTestId('evidence-thumb')).toHaveCount(1);
  await expect(failed.getByTestId('photo-pending')).toHaveCount(0);
  await expect(failed.getByTestId('evidence-thumb').locator('img')).toBeVisible();
  await expect(page.getByTestId('sync-status')).toHaveText('Đã gửi', { timeout: 15_000 });

  // ---- submit: the failed item becomes a finding
  await page.getByTestId('visit-submit').click();
  await expect(page.getByTestId('note-dialog')).toContainText('Không đạt');
  await page.getByTestId('note-confirm').click();
  await expect(page.getByTestId('visit-status')).toHaveText('Đã nộp kết quả');
  await expect(page.getByTestId('answer-yes').first()).toBeDisabled();
  const finding = page.locator(`[data-testid="visit-finding"][data-code="${FAILED}"]`);
  await expect(finding).toContainText('Không đạt: Có sổ theo dõi cấp phát');
  await expect(finding).toContainText(FAILED_NOTE);
  await expect(finding.getByTestId('finding-status')).toHaveText('Mới ghi nhận');

  // ---- the inspector sets a corrective action with a due date
  await finding.getByTestId('visit-finding-link').click();
  await expect(page).toHaveURL(/\/phat-hien\/\d+$/);
  const findingUrl = page.url();
  await expect(page.getByTestId('finding-product')).toContainText('Na Chi Lăng');
  await expect(page.getByTestId('finding-status')).toHaveText('Mới ghi nhận');
  await page.getByTestId('action-add').click();
  await page.getByTestId('action-description').fill('Lập sổ theo dõi cấp phát, sử dụng tem OCOP; gửi ảnh chụp sổ.');
  await page.getByTestId('action-due').fill('2030-12-31');
  await page.getByTestId('action-save').click();
  const action = page.getByTestId('action-card');
  await expect(action).toHaveCount(1);
  await expect(action.getByTestId('action-status')).toHaveText('Chờ khắc phục');
  await expect(action.getByTestId('action-due-date')).toHaveText('Hạn: 31/12/2030');
  await expect(page.getByTestId('finding-status')).toHaveText('Cần khắc phục');
  await expect(page.getByTestId('timeline-item').first()).toContainText('Ghi nhận phát hiện');
  await expect(page.getByTestId('finding-timeline')).toContainText('Giao biện pháp khắc phục');
  await signOut(page);

  // ---- the producer sees it among "Phát hiện của tôi" and answers with a text and a photo
  await signIn(page, 'producer_dongbanh');
  await openFromNav(page, 'Phát hiện của tôi');
  await expect(page.getByTestId('findings-title')).toHaveText('Phát hiện của tôi');
  const findingId = findingUrl.split('/').pop()!;
  const row = page.locator(`[data-testid="finding-row"][data-id="${findingId}"]`);
  await expect(row).toContainText('Na Chi Lăng');
  await expect(row.getByTestId('finding-status')).toHaveText('Cần khắc phục');
  await row.getByTestId('finding-link').click();
  await expect(page.getByTestId('finding-internal-note')).toHaveCount(0);
  await expect(page.getByTestId('action-add')).toHaveCount(0);
  const form = page.getByTestId('action-respond-form');
  await form.getByTestId('action-response-text').fill('HTX đã lập sổ theo dõi tem từ tháng này; gửi kèm ảnh chụp sổ.');
  await form.getByTestId('action-response-photo-input').setInputFiles(await jpegFile(page, 'anh-so-tem.jpg'));
  await expect(form.getByTestId('response-file')).toHaveCount(1);
  await form.getByTestId('action-respond').click();
  await expect(action.getByTestId('action-status')).toHaveText('Đã trả lời — chờ xác minh');
  await expect(action.getByTestId('action-response')).toContainText('HTX đã lập sổ theo dõi tem');
  await expect(action.getByTestId('evidence-thumb')).toHaveCount(1);
  await expect(page.getByTestId('finding-status')).toHaveText('Đã trả lời — chờ xác minh');
  await expect(page.getByTestId('action-respond-form')).toHaveCount(0);
  await signOut(page);

  // ---- inspector1 verifies it …
  await signIn(page, 'inspector1');
  await page.goto(findingUrl);
  await acceptAction(page, action);
  await expect(page.getByTestId('finding-status')).toHaveText('Đã xác minh khắc phục');
  await expect(page.getByTestId('finding-timeline')).toContainText('Chấp nhận kết quả khắc phục');

  // … and the seeded ND4.04 action of Na Chi Lăng that awaits verification
  await openFromNav(page, 'Phát hiện');
  await page.getByTestId('list-search').fill('dong banh');
  await page.getByTestId('filter-status').click();
  await page.getByRole('option', { name: 'Đã trả lời — chờ xác minh', exact: true }).click();
  const seeded = page.getByTestId('finding-row').filter({ hasText: 'ND4.04' });
  await expect(seeded).toHaveCount(1);
  await seeded.getByTestId('finding-link').click();
  await expect(page.getByTestId('finding-product')).toContainText('Na Chi Lăng');
  await acceptAction(page, page.getByTestId('action-card'));
  await expect(page.getByTestId('finding-status')).toHaveText('Đã xác minh khắc phục');

  // ---- the compliance lookup: nothing left open, the certificate valid
  await openFromNav(page, 'Tra cứu tuân thủ');
  const select = page.getByTestId('compliance-product');
  await select.click();
  await select.fill('na chi lang');
  await page.getByRole('option', { name: /^Na Chi Lăng/ }).click();
  await expect(page.getByTestId('compliance-product-name')).toHaveText('Na Chi Lăng');
  const status = page.getByTestId('compliance-product-card').getByTestId('compliance-status');
  await expect(status).toHaveText('Tuân thủ');
  await expect(page.getByTestId('open-minor')).toHaveText('Nhẹ: 0');
  await expect(page.getByTestId('compliance-certificate')).toContainText('Còn hiệu lực');
});
