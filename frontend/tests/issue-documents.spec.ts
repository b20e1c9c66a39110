// Issuing a plan's documents with the register's number (the documents tab's "Phát hành"), their versions kept and
// downloadable as issued, and the team member's honorific, against the demo data (campaign 1: the 2024 plan).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from './fixtures';
import { apiGet, apiPost, apiToken, bearer, signIn, signOut } from './support';

type Doc = { kind: string; title: string; unit_id: number | null; number: string | null; version: number | null };
type Version = { kind: string; unit_id: number | null; version: number; number: string; sha256: string; path: string };
type DocList = { items: Doc[]; issued: Version[] };

async function plan2024(request: Parameters<typeof apiToken>[0], token: string): Promise<{ id: number }> {
  const page = await apiGet(request, token, '/api/v1/campaigns?year=2024');
  expect(page.items.length, 'the demo data has a 2024 plan').toBeGreaterThan(0);
  return page.items[0];
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The row of one document, by its exact title. */
const rowOf = (page: Page, title: string): Locator =>
  page
    .getByTestId('documents')
    .getByTestId('document-row')
    .filter({ has: page.getByTestId('document-title').getByText(title, { exact: true }) });

async function downloadBytes(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const download = page.waitForEvent('download');
  await button.click();
  const file = await download;
  return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

test('the coordinator issues a unit’s notice with the register’s number, then a correction kept beside it', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const token = await apiToken(request, 'coordinator');
  const campaign = await plan2024(request, token);
  const base = `/api/v1/campaigns/${campaign.id}/documents`;
  const before = await apiGet<DocList>(request, token, base);
  const drafts = before.items.filter((d) => d.kind === 'notice' && d.unit_id != null && d.number == null);
  expect(drafts.length, 'the demo plan has two units whose notices are not issued yet').toBeGreaterThan(1);
  const [notice, other] = drafts;

  await signIn(page, 'coordinator');
  await page.goto(`/ke-hoach/${campaign.id}`);
  await page.getByTestId('tab-documents').click();
  const row = rowOf(page, notice.title);
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('document-draft')).toHaveText('Dự thảo');
  await expect(row.getByTestId('document-versions-toggle')).toHaveCount(0);

  // ---- the first issue: the number as the clerk types it, written as the register writes it
  await row.getByTestId('document-issue').click();
  const form = page.getByTestId('issue-document-form');
  await expect(form).toBeVisible();
  await expect(form.getByTestId('issue-doc-reason')).toHaveCount(0); // a first issue needs no reason
  await form.getByTestId('issue-doc-number').fill('7/tb-snn');
  await expect(form.getByText('Sẽ ghi: 07/TB-SNN')).toBeVisible();
  await form.getByTestId('issue-doc-date').fill('2024-04-10');
  await form.getByTestId('issue-doc-submit').click();
  await expect(form).toHaveCount(0);
  await expect(row.getByTestId('document-issued')).toHaveText('Số 07/TB-SNN ngày 10/04/2024');
  await expect(row.getByTestId('document-draft')).toHaveCount(0);
  await expect(row.getByTestId('document-issue')).toHaveText('Phát hành lại');

  // the issued file, byte for byte as kept: a Word document (a zip archive) whose sha256 is its ETag
  let list = await apiGet<DocList>(request, token, base);
  const v1 = list.issued.find((v) => v.kind === 'notice' && v.unit_id === notice.unit_id && v.version === 1)!;
  expect(v1.number).toBe('07/TB-SNN');
  const first = await downloadBytes(page, row.getByTestId('document-docx'));
  expect(first.name).toMatch(/\.docx$/);
  expect(first.bytes.subarray(0, 2).toString()).toBe('PK');
  expect(sha256(first.bytes)).toBe(v1.sha256);
  const head = await request.get(v1.path, { headers: bearer(token) });
  expect(head.headers()['etag']).toBe(`"${v1.sha256}"`);

  // ---- another unit's notice takes 12/TB-SNN (through the API)
  await apiPost(request, token, `${base}/notice/issue`, { unit_id: other.unit_id, number: '12/TB-SNN', date: '2024-04-10' });

  // ---- a correction: its reason is required; a number another document holds is refused, in Vietnamese
  await row.getByTestId('document-issue').click();
  await expect(form).toBeVisible();
  await expect(form.getByText('Văn bản đã phát hành Số 07/TB-SNN ngày 10/04/2024.', { exact: false })).toBeVisible();
  await form.getByTestId('issue-doc-number').fill('12/TB-SNN');
  await form.getByTestId('issue-doc-date').fill('2024-04-12');
  await form.getByTestId('issue-doc-submit').click();
  await expect(form.getByText('Nêu lý do phát hành lại (ít nhất 3 ký tự).')).toBeVisible();
  await form.getByTestId('issue-doc-reason').fill('Đính chính giờ làm việc tại địa bàn');
  await form.getByTestId('issue-doc-submit').click();
  await expect(form.getByTestId('error-alert')).toHaveText('Số văn bản này đã được dùng cho văn bản khác của cơ quan.');
  await form.getByTestId('issue-doc-number').fill('8/TB-SNN');
  await form.getByTestId('issue-doc-submit').click();
  await expect(form).toHaveCount(0);
  await expect(row.getByTestId('document-issued')).toHaveText('Số 08/TB-SNN ngày 12/04/2024, bản 2');

  // ---- both versions listed, newest first; version 1 still served exactly as issued
  await row.getByTestId('document-versions-toggle').click();
  const versions = row.getByTestId('document-version');
  await expect(versions).toHaveCount(2);
  await expect(versions.nth(0)).toHaveAttribute('data-version', '2');
  await expect(versions.nth(0)).toContainText('08/TB-SNN');
  await expect(versions.nth(0)).toContainText('Đính chính giờ làm việc tại địa bàn');
  await expect(versions.nth(1)).toHaveAttribute('data-version', '1');
  await expect(versions.nth(1)).toContainText('07/TB-SNN');
  await expect(versions.nth(1)).toContainText('10/04/2024'); // its own date

  list = await apiGet<DocList>(request, token, base);
  const v2 = list.issued.find((v) => v.kind === 'notice' && v.unit_id === notice.unit_id && v.version === 2)!;
  expect(v2.sha256).not.toBe(v1.sha256);
  const old = await downloadBytes(page, versions.nth(1).getByTestId('document-version-docx'));
  expect(old.bytes.subarray(0, 2).toString()).toBe('PK');
  expect(sha256(old.bytes)).toBe(v1.sha256);
  const latest = await downloadBytes(page, row.getByTestId('document-docx'));
  expect(sha256(latest.bytes)).toBe(v2.sha256);
});

test('the leader may issue; an inspector sees the documents but no issue action, and the API refuses it', async ({
  page,
  request,
}) => {
  const coordinator = await apiToken(request, 'coordinator');
  const campaign = await plan2024(request, coordinator);
  const token = await apiToken(request, 'inspector1');
  const list = await apiGet<DocList>(request, token, `/api/v1/campaigns/${campaign.id}/documents`);
  const notice = list.items.find((d) => d.kind === 'notice' && d.unit_id != null);
  expect(notice, 'the inspector reads the units’ notices').toBeTruthy();

  // the leader: the report and each unit's notice carry the action; the plan (its workflow) and the minutes do not
  await signIn(page, 'leader');
  await page.goto(`/ke-hoach/${campaign.id}`);
  await page.getByTestId('tab-documents').click();
  const docs = page.getByTestId('documents');
  await expect(docs.locator('[data-testid="document-row"][data-kind="report"]').getByTestId('document-issue')).toBeVisible();
  await expect(rowOf(page, notice!.title).getByTestId('document-issue')).toBeVisible();
  await expect(docs.locator('[data-testid="document-row"][data-kind="plan"]').getByTestId('document-issue')).toHaveCount(0);
  await expect(docs.locator('[data-testid="document-row"][data-kind="minutes"]').getByTestId('document-issue')).toHaveCount(0);
  await signOut(page);

  await signIn(page, 'inspector1');
  await page.goto(`/ke-hoach/${campaign.id}`);
  await page.getByTestId('tab-documents').click();
  await expect(rowOf(page, notice!.title)).toHaveCount(1);
  await expect(page.getByTestId('document-docx').first()).toBeVisible();
  await expect(page.getByTestId('document-issue')).toHaveCount(0);

  const res = await request.post(`/api/v1/campaigns/${campaign.id}/documents/notice/issue`, {
    headers: bearer(token),
    data: { unit_id: notice!.unit_id, number: '99/TB-SNN', date: '2024-04-10' },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).code).toBe('forbidden_role');
});

test('a team member’s honorific is chosen in the form and shown in the team list', async ({ page, request }) => {
  const token = await apiToken(request, 'coordinator');
  const plan = await apiGet(request, token, `/api/v1/campaigns/${(await plan2024(request, token)).id}`);
  const draft = await apiPost(request, token, '/api/v1/campaigns', {
    title: `Kiểm tra danh xưng ${Date.now()}`,
    year: 2026,
    issuing_agency_id: plan.issuing_agency_id,
    place: 'Lạng Sơn',
  });

  await signIn(page, 'coordinator');
  await page.goto(`/ke-hoach/${draft.id}`);
  await page.getByTestId('tab-team').click();
  await page.getByTestId('member-add').click();
  const form = page.getByTestId('member-form');
  await form.getByText('Người ngoài hệ thống').click();
  await form.getByTestId('member-full-name').fill('Nguyễn Thị Hoa');
  await form.getByTestId('member-honorific').getByText('Bà', { exact: true }).click();
  await page.getByTestId('member-save').click();
  await expect(form).toHaveCount(0);

  const row = page.getByTestId('member-row').filter({ hasText: 'Nguyễn Thị Hoa' });
  await expect(row.getByTestId('member-name')).toHaveText('Bà Nguyễn Thị Hoa');
  const team = await apiGet(request, token, `/api/v1/campaigns/${draft.id}/team`);
  expect(team.items.map((m: { full_name: string; honorific: string | null }) => [m.full_name, m.honorific])).toEqual([
    ['Nguyễn Thị Hoa', 'Bà'],
  ]);

  // changed in the list: none, the name alone
  await row.getByTestId('member-honorific-select').click();
  await page.getByRole('option', { name: 'Không ghi' }).click();
  await expect(row.getByTestId('member-name')).toHaveText('Nguyễn Thị Hoa');
  await expect
    .poll(async () => (await apiGet(request, token, `/api/v1/campaigns/${draft.id}/team`)).items[0].honorific)
    .toBeNull();
});
