// The e-office inbox ("Văn bản điện tử"): packages the provincial e-office sends that cannot be acted on by
// themselves wait for a coordinator, who maps an unknown sender to an agency, attaches a letter to a plan or
// dismisses a package with a reason; the leader reads the inbox; an inspector has no access to it.
//
// The packages are posted by an API client with the eoffice:write scope, as the provincial platform does, shaped
// like a real platform's (tests/integrations/edxml_platform.py): the envelope under an `edXML:` prefix, numeric
// DocumentType codes with the kind in words, slash dates, a Word attachment outside the envelope.
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from './fixtures';
import { apiGet, apiPost, apiToken, bearer, signIn, signOut } from './support';

const NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

interface PackageSpec {
  documentId: string;
  sender: string;
  senderName: string;
  typeName: string;
  notation: string;
  number: string;
  subject: string;
  attachmentName: string;
  attachment: Buffer;
}

function edxmlPackage(p: PackageSpec): Buffer {
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="${NS}" xmlns:edXML="${NS}">
  <edXML:edXMLEnvelope>
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From>
          <edXML:OrganId>${p.sender}</edXML:OrganId>
          <edXML:OrganName>${p.senderName}</edXML:OrganName>
        </edXML:From>
        <edXML:To>
          <edXML:OrganId>000.00.00.G22</edXML:OrganId>
          <edXML:OrganName>Sở Nông nghiệp và Môi trường</edXML:OrganName>
        </edXML:To>
        <edXML:DocumentId>${p.documentId}</edXML:DocumentId>
        <edXML:Code>
          <edXML:CodeNumber>${p.number}</edXML:CodeNumber>
          <edXML:CodeNotation>${p.notation}</edXML:CodeNotation>
        </edXML:Code>
        <edXML:PromulgationInfo>
          <edXML:Place>Lạng Sơn</edXML:Place>
          <edXML:PromulgationDate>2026/03/02</edXML:PromulgationDate>
        </edXML:PromulgationInfo>
        <edXML:DocumentType>
          <edXML:Type>1</edXML:Type>
          <edXML:TypeDetail>0</edXML:TypeDetail>
          <edXML:TypeName>${p.typeName}</edXML:TypeName>
        </edXML:DocumentType>
        <edXML:Subject>${p.subject}</edXML:Subject>
        <edXML:Content>Thực hiện Chương trình mỗi xã một sản phẩm, đề nghị các cơ quan phối hợp.</edXML:Content>
        <edXML:SignerInfo>
          <edXML:Competence>KT.</edXML:Competence>
          <edXML:Position>Phó Chủ tịch</edXML:Position>
          <edXML:FullName>Đoàn Thu Hà</edXML:FullName>
        </edXML:SignerInfo>
        <edXML:ToPlaces>
          <edXML:Place>Sở Nông nghiệp và Môi trường</edXML:Place>
          <edXML:Place>Lưu: VT</edXML:Place>
        </edXML:ToPlaces>
      </edXML:MessageHeader>
      <edXML:TraceHeaderList>
        <edXML:TraceHeader>
          <edXML:OrganId>${p.sender}</edXML:OrganId>
          <edXML:Timestamp>2026/03/02 08:15:30</edXML:Timestamp>
        </edXML:TraceHeader>
        <edXML:Bussiness>
          <edXML:BussinessDocType>0</edXML:BussinessDocType>
        </edXML:Bussiness>
      </edXML:TraceHeaderList>
    </edXML:edXMLHeader>
    <edXML:edXMLManifest version="1.0">
      <edXML:Reference>
        <edXML:ContentId>cid:1</edXML:ContentId>
        <edXML:ContentType>${DOCX}</edXML:ContentType>
        <edXML:AttachmentName>${p.attachmentName}</edXML:AttachmentName>
      </edXML:Reference>
    </edXML:edXMLManifest>
  </edXML:edXMLEnvelope>
  <AttachmentEncoded>
    <Attachment>
      <ContentId>cid:1</ContentId>
      <AttachmentName>${p.attachmentName}</AttachmentName>
      <ContentType>${DOCX}</ContentType>
      <ContentTransferEncoded>${p.attachment.toString('base64')}</ContentTransferEncoded>
    </Attachment>
  </AttachmentEncoded>
</edXML>`,
    'utf-8',
  );
}

/** A bearer token of a new API client with the eoffice:write scope, registered by the administrator. */
async function eofficeClient(request: APIRequestContext): Promise<string> {
  const admin = await apiToken(request, 'admin');
  const client = await apiPost(request, admin, '/api/v1/api-clients', {
    name: `Hệ thống quản lý văn bản và điều hành tỉnh (thử nghiệm ${Date.now()})`,
    scopes: ['eoffice:write'],
  });
  const res = await request.post('/api/v1/auth/token', {
    form: { grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret },
  });
  expect(res.ok(), 'the e-office client signs in').toBeTruthy();
  return (await res.json()).access_token as string;
}

/** Posts a package as the e-office does; it waits in the inbox (202). Its id. */
async function postWaiting(request: APIRequestContext, token: string, spec: PackageSpec): Promise<number> {
  const res = await request.post('/api/v1/eoffice/inbound', {
    headers: { ...bearer(token), 'Content-Type': 'application/xml' },
    data: edxmlPackage(spec),
  });
  expect(res.status(), await res.text()).toBe(202);
  const doc = await res.json();
  expect(doc.state).toBe('waiting');
  return doc.id as number;
}

/** A Word-like attachment (a zip archive's signature, then filler). */
const wordFile = (label: string) => Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.from(label.repeat(200))]);

/** Picks the option of a searchable Mantine select after typing `search` into it. */
async function choose(page: Page, testId: string, search: string, option: RegExp) {
  const input = page.getByTestId(testId);
  await input.click();
  await input.fill(search);
  await page.getByRole('option', { name: option }).first().click();
}

/** axe-core on the page (or a dialog of it), WCAG 2.0/2.1 A and AA: no serious or critical violation. */
async function expectAccessible(page: Page, screen: string, within?: string) {
  let builder = new AxeBuilder({ page })
    .options({ resultTypes: ['violations'] })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .setLegacyMode(true);
  if (within) builder = builder.include(within);
  const { violations } = await builder.analyze();
  const blocking = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' >> ')).join(', ')}`);
  expect(blocking, `accessibility of ${screen}`).toEqual([]);
}

async function filterState(page: Page, label: string) {
  await page.getByTestId('eoffice-filter-state').click();
  await page.getByRole('option', { name: label, exact: true }).click();
}

test('the coordinator maps an unknown sender to an agency, then dismisses its plan with a reason', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const run = Date.now();
  const sender = `000.00.${String(run % 90 + 10)}.Z${String(run % 1000).padStart(3, '0')}`;
  const subject = `Kế hoạch kiểm tra sản phẩm OCOP năm 2026 (thử nghiệm ${run})`;
  const number = String(run % 100_000);
  const attachment = wordFile('Kế hoạch ');
  const id = await postWaiting(request, await eofficeClient(request), {
    documentId: `${sender},2026,${run}`,
    sender,
    senderName: 'Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn',
    typeName: 'Kế hoạch',
    notation: 'KH-BQL',
    number,
    subject,
    attachmentName: `KH-${number}-BQL.docx`,
    attachment,
  });

  // ---- the inbox, its waiting packages
  await signIn(page, 'coordinator');
  await page.getByTestId('main-nav').getByRole('link', { name: 'Văn bản điện tử' }).click();
  await expect(page).toHaveURL(/\/van-ban-dien-tu/);
  await expect(page.getByRole('heading', { name: 'Văn bản điện tử' })).toBeVisible();
  await expect(page.getByTestId('eoffice-tab-in')).toHaveAttribute('aria-selected', 'true');
  await filterState(page, 'Tất cả trạng thái');
  await filterState(page, 'Chờ xử lý');
  await expect(page.getByTestId('eoffice-filter-state')).toHaveValue('Chờ xử lý');
  const row = page.getByTestId('eoffice-row').filter({ hasText: subject });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(`${number}/KH-BQL`);
  await expect(row).toContainText(sender);
  await expect(row.getByTestId('eoffice-state')).toHaveText('Chờ xử lý');
  for (const state of await page.getByTestId('eoffice-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')))) {
    expect(state).toBe('waiting');
  }
  await expectAccessible(page, 'the inbox');

  // ---- its header, why it waits, its attachment
  await row.getByTestId('eoffice-open').click();
  const detail = page.getByTestId('eoffice-detail');
  await expect(detail).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`vb=${id}`));
  await expect(detail.getByTestId('eoffice-subject')).toHaveText(subject);
  await expect(detail.getByTestId('eoffice-sender')).toHaveText('Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn');
  await expect(detail.getByTestId('eoffice-sender-code')).toHaveText(sender);
  await expect(detail.getByTestId('eoffice-number')).toHaveText(`${number}/KH-BQL`);
  await expect(detail.getByTestId('eoffice-date')).toHaveText('02/03/2026');
  await expect(detail.getByTestId('eoffice-type-name')).toHaveText('Kế hoạch');
  await expect(detail.getByTestId('eoffice-state')).toHaveText('Chờ xử lý');
  await expect(detail).toContainText('KT. Phó Chủ tịch Đoàn Thu Hà');
  await expect(detail.getByTestId('eoffice-campaign-link')).toHaveCount(0);
  await expect(detail.getByTestId('eoffice-why')).toContainText(
    `Chưa có cơ quan nào trong danh sách mang mã định danh ${sender}`,
  );
  const file = detail.getByTestId('eoffice-attachment-download');
  await expect(file).toHaveText(`KH-${number}-BQL.docx`);
  const download = page.waitForEvent('download');
  await file.click();
  expect((await download).suggestedFilename()).toBe(`KH-${number}-BQL.docx`);
  expect(Buffer.compare(await readFile(await (await download).path()), attachment)).toBe(0);
  await expectAccessible(page, 'a waiting package', '[role="dialog"]');

  // ---- the sender's code to an agency: the package still waits, the agency carries the code
  await expect(detail.getByTestId('eoffice-route-actions').getByRole('button')).toHaveText([
    'Tạo kế hoạch nháp',
    'Gắn vào kế hoạch',
    'Gán mã cho cơ quan',
    'Loại bỏ',
  ]);
  await detail.getByTestId('eoffice-route-map_sender').click();
  const mapForm = page.getByTestId('eoffice-route-form');
  await expect(mapForm).toHaveAttribute('data-action', 'map_sender');
  await mapForm.getByTestId('eoffice-route-submit').click();
  await expect(mapForm).toContainText('Vui lòng chọn cơ quan.');
  await expectAccessible(page, 'the mapping form', '.mantine-Modal-content');
  await choose(page, 'eoffice-route-agency', 'Văn phòng Sở Nông nghiệp', /^Văn phòng Sở Nông nghiệp và Môi trường/);
  await mapForm.getByTestId('eoffice-route-submit').click();
  await expect(mapForm).toHaveCount(0);
  await expect(detail.getByTestId('eoffice-state')).toHaveText('Chờ xử lý');
  await expect(detail.getByTestId('eoffice-sender-agency')).toHaveText(
    'Mã định danh của Văn phòng Sở Nông nghiệp và Môi trường',
  );
  await expect(detail.getByTestId('eoffice-why')).toContainText('đã được gán cho Văn phòng Sở Nông nghiệp và Môi trường');
  await expect(detail.getByTestId('eoffice-route-map_sender')).toHaveCount(0);
  const coordinator = await apiToken(request, 'coordinator');
  const agencies = await apiGet(request, coordinator, '/api/v1/agencies?limit=200');
  expect(agencies.items.find((a: { eoffice_code: string | null }) => a.eoffice_code === sender)?.code).toBe('SNNMT-VP');

  // ---- dismissed with a reason (required)
  await detail.getByTestId('eoffice-route-dismiss').click();
  const dismissForm = page.getByTestId('eoffice-route-form');
  await dismissForm.getByTestId('eoffice-route-submit').click();
  await expect(dismissForm).toContainText('Vui lòng nhập lý do loại bỏ.');
  const reason = 'Kế hoạch của Ban Quản lý không thuộc phạm vi kiểm tra của Sở; đã chuyển Văn phòng Sở theo dõi.';
  await dismissForm.getByTestId('eoffice-route-reason').fill(reason);
  await dismissForm.getByTestId('eoffice-route-submit').click();
  await expect(dismissForm).toHaveCount(0);
  await expect(detail.getByTestId('eoffice-state')).toHaveText('Đã loại bỏ');
  await expect(detail.getByTestId('eoffice-reason')).toContainText(reason);
  await expect(detail.getByTestId('eoffice-why')).toHaveCount(0);
  await expect(detail.getByTestId('eoffice-route-actions')).toHaveCount(0);

  // ---- out of the waiting ones, among the dismissed
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(page.getByTestId('eoffice-row').filter({ hasText: subject })).toHaveCount(0);
  await filterState(page, 'Đã loại bỏ');
  await expect(page).toHaveURL(/trang-thai=dismissed/);
  await expect(row.getByTestId('eoffice-state')).toHaveText('Đã loại bỏ');
  const after = await apiGet(request, coordinator, `/api/v1/eoffice/documents/${id}`);
  expect([after.state, after.reason]).toEqual(['dismissed', reason]);
});

test('the leader reads a waiting letter but cannot route it; the coordinator attaches it to a plan', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const run = Date.now();
  const subject = `Về việc phối hợp kiểm tra sản phẩm OCOP (thử nghiệm ${run})`;
  // from the provincial People's Committee, whose code the demo data gives: a letter is not acted on by itself
  const id = await postWaiting(request, await eofficeClient(request), {
    documentId: `000.00.00.H36,2026,cv${run}`,
    sender: '000.00.00.H36',
    senderName: 'UBND tỉnh Lạng Sơn',
    typeName: 'Công văn',
    notation: 'UBND-KT',
    number: String(run % 10_000),
    subject,
    attachmentName: 'cong-van.docx',
    attachment: wordFile('Công văn '),
  });
  const coordinator = await apiToken(request, 'coordinator');
  const plan = (await apiGet(request, coordinator, '/api/v1/campaigns?year=2024')).items[0] as { id: number; title: string };

  // ---- the leader: the inbox opens on every state; the letter can be read, not routed
  await signIn(page, 'leader');
  await page.getByTestId('main-nav').getByRole('link', { name: 'Văn bản điện tử' }).click();
  await expect(page.getByTestId('eoffice-filter-state')).toHaveValue('Tất cả trạng thái');
  await filterState(page, 'Chờ xử lý');
  await page.getByTestId('eoffice-row').filter({ hasText: subject }).getByTestId('eoffice-open').click();
  const detail = page.getByTestId('eoffice-detail');
  await expect(detail.getByTestId('eoffice-type-name')).toHaveText('Công văn');
  await expect(detail.getByTestId('eoffice-sender-agency')).toHaveText('Mã định danh của Ủy ban nhân dân tỉnh Lạng Sơn');
  await expect(detail.getByTestId('eoffice-why')).toContainText('Văn bản loại “Công văn” không được xử lý tự động');
  await expect(detail.getByTestId('eoffice-attachment')).toHaveCount(1);
  await expect(detail.getByTestId('eoffice-route-actions')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await signOut(page);

  // ---- the coordinator, from the address of the letter: attached to the 2024 plan
  await signIn(page, 'coordinator');
  await page.goto(`/van-ban-dien-tu?vb=${id}`);
  await expect(detail.getByTestId('eoffice-subject')).toHaveText(subject);
  await expect(detail.getByTestId('eoffice-route-actions').getByRole('button')).toHaveText([
    'Gắn vào kế hoạch',
    'Tạo kế hoạch nháp',
    'Loại bỏ',
  ]);
  await detail.getByTestId('eoffice-route-attach').click();
  const form = page.getByTestId('eoffice-route-form');
  await choose(page, 'eoffice-route-campaign', plan.title.slice(0, 40), new RegExp(plan.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await form.getByTestId('eoffice-route-submit').click();
  await expect(form).toHaveCount(0);
  await expect(detail.getByTestId('eoffice-state')).toHaveText('Đã xử lý');
  const link = detail.getByTestId('eoffice-campaign-link');
  await expect(link).toContainText(plan.title);
  await expect(link).toHaveAttribute('href', `/ke-hoach/${plan.id}`);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/ke-hoach/${plan.id}`));
  const after = await apiGet(request, coordinator, `/api/v1/eoffice/documents/${id}`);
  expect([after.state, after.campaign_id]).toEqual(['routed', plan.id]);
});

test('an inspector has no e-office entry, and its address answers "no access"', async ({ page, request }) => {
  await signIn(page, 'inspector1');
  const nav = page.getByTestId('main-nav');
  await expect(nav.getByRole('link', { name: 'Kế hoạch kiểm tra' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Văn bản điện tử' })).toHaveCount(0);
  await page.goto('/van-ban-dien-tu');
  await expect(page.getByTestId('page-message')).toContainText('Bạn không có quyền truy cập trang này.');
  await expect(page.getByTestId('eoffice-table')).toHaveCount(0);
  // the API says the same
  const res = await request.get('/api/v1/eoffice/documents', { headers: bearer(await apiToken(request, 'inspector1')) });
  expect(res.status()).toBe(403);
});
