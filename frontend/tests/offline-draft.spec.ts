import { expect, slowChunks, test } from './fixtures';

// the service worker that serves the app offline is blocked in the slow-network mode
test.skip(slowChunks, 'needs the service worker');
import { addNaChiLangVisit, apiGet, apiPost, apiToken, jpegFile, signIn } from './support';

const NOTE = 'Mất sóng tại kho: ghi chú nhập khi không có mạng.';

test('what is typed offline survives a reload without a connection and is sent once back online', async ({
  page,
  context,
  request,
}) => {
  test.setTimeout(120_000);
  const { visitId } = await addNaChiLangVisit(request, `Kho HTX Đồng Bành (thử mất mạng ${Date.now()})`, '2024-06-21');
  const inspector = await apiToken(request, 'inspector1');
  await apiPost(request, inspector, `/api/v1/visits/${visitId}/transitions`, { to: 'in_progress' });

  await signIn(page, 'inspector1');
  await page.goto(`/luot-kiem-tra/${visitId}`);
  await expect(page.getByTestId('visit-status')).toHaveText('Đang kiểm tra');
  const item = page.locator('[data-testid="answer-item"][data-code="ND2.01"]');
  await expect(item).toBeVisible();
  await expect(page.getByTestId('sync-status')).toHaveText('Đã gửi');
  // the service worker has cached the app (it is active once its install has precached the shell and assets)
  await page.evaluate('navigator.serviceWorker.ready.then(() => true)');

  // ---- offline: the answer and its note are kept on the device
  await context.setOffline(true);
  await item.getByTestId('answer-yes').click();
  await item.getByTestId('answer-note').fill(NOTE);
  await expect(page.getByTestId('sync-status')).toContainText('chưa gửi');
  await expect(page.getByTestId('sync-offline')).toBeVisible();
  // a photo taken offline waits on the device too
  await item.getByTestId('answer-photo-input').setInputFiles(await jpegFile(page, 'kho-tem.jpg'));
  await expect(item.getByTestId('photo-pending')).toContainText('Chưa gửi');

  // ---- a reload while still offline: the service worker serves the app, the draft is still there
  const offlinePage = await page.reload();
  expect(offlinePage?.fromServiceWorker()).toBe(true);
  await expect(page.getByTestId('visit-status')).toHaveText('Đang kiểm tra');
  await expect(item.getByTestId('answer-note')).toHaveValue(NOTE);
  await expect(page.getByTestId('sync-offline')).toBeVisible();
  await expect(item.getByTestId('answer-yes')).toHaveAttribute('aria-pressed', 'true');
  await expect(item.getByTestId('photo-pending')).toHaveCount(1);
  await expect(page.getByTestId('sync-status')).toHaveText('Đã lưu trên máy — chưa gửi');
  await expect(page.getByTestId('sync-pending')).toHaveText('2 mục chờ gửi');

  // ---- back online: sent without anything to do
  await context.setOffline(false);
  await expect(page.getByTestId('sync-status')).toHaveText('Đã gửi', { timeout: 30_000 });
  const answers = await apiGet(request, inspector, `/api/v1/visits/${visitId}/answers`);
  const saved = answers.items.find((a: { item_code: string }) => a.item_code === 'ND2.01');
  expect(saved).toMatchObject({ value: 'yes', note: NOTE });
  await expect(item.getByTestId('photo-pending')).toHaveCount(0);
  await expect(item.getByTestId('evidence-thumb')).toHaveCount(1);
  const evidence = await apiGet(request, inspector, `/api/v1/visits/${visitId}/evidence`);
  expect(evidence.items.map((e: { item_code: string; filename: string }) => [e.item_code, e.filename])).toEqual([
    ['ND2.01', 'kho-tem.jpg'],
  ]);

  // a reload online shows the server's copy, with nothing left on the device
  await page.reload();
  await expect(item.getByTestId('answer-note')).toHaveValue(NOTE);
  await expect(page.getByTestId('sync-status')).toHaveText('Đã gửi');
});
