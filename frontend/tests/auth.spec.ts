import { expect, test, type APIRequestContext, type Page } from './fixtures';

const PASSWORD = 'demo-password';

/** Reads a user's full name through the API (never hard-coded in the test). */
async function fullNameOf(request: APIRequestContext, username: string): Promise<string> {
  const token = await request.post('/api/v1/auth/token', {
    form: { grant_type: 'password', username, password: PASSWORD },
  });
  expect(token.status(), await token.text()).toBe(200);
  const { access_token } = (await token.json()) as { access_token: string };
  const me = await request.get('/api/v1/me', { headers: { Authorization: `Bearer ${access_token}` } });
  expect(me.status()).toBe(200);
  const { full_name } = (await me.json()) as { full_name: string };
  expect(full_name).toBeTruthy();
  return full_name;
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/dang-nhap');
  await expect(page.getByTestId('login-form')).toBeVisible();
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

test.describe('sign-in', () => {
  test('coordinator signs in, sees their full name, and signs out', async ({ page, request }) => {
    const expectedName = await fullNameOf(request, 'coordinator');

    await signIn(page, 'coordinator', PASSWORD);
    await expect(page.getByTestId('user-fullname')).toHaveText(expectedName);
    await expect(page.getByTestId('user-fullname')).toBeVisible();
    await expect(page).toHaveURL(/\/$/);

    // the session survives a reload (access token in memory, restored from the refresh cookie)
    await page.reload();
    await expect(page.getByTestId('user-fullname')).toHaveText(expectedName);

    await page.getByTestId('sign-out').click();
    await expect(page.getByTestId('login-form')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Đăng nhập' })).toBeVisible();
    await expect(page.getByTestId('user-fullname')).toHaveCount(0);

    // after signing out, a reload does not bring the session back
    await page.goto('/');
    await expect(page.getByTestId('login-form')).toBeVisible();
  });

  test('wrong password shows the Vietnamese error message', async ({ page }) => {
    // one failure only: accounts lock after 5 failures
    await signIn(page, 'viewer', `wrong-${Date.now()}`);
    await expect(page.getByText('Tên đăng nhập hoặc mật khẩu không đúng.')).toBeVisible();
    await expect(page.getByTestId('login-form')).toBeVisible();
  });

  test('admin sees the Người dùng menu item, viewer does not', async ({ page }) => {
    await signIn(page, 'admin', PASSWORD);
    const nav = page.getByTestId('main-nav');
    await expect(nav.getByRole('link', { name: 'Người dùng' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Nhật ký' })).toBeVisible();
    await page.getByTestId('sign-out').click();
    await expect(page.getByTestId('login-form')).toBeVisible();

    await signIn(page, 'viewer', PASSWORD);
    await expect(page.getByTestId('user-fullname')).not.toBeEmpty();
    await expect(nav.getByRole('link', { name: 'Cơ quan' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Người dùng' })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'Nhật ký' })).toHaveCount(0);
  });
});

test.describe('session handling', () => {
  const unauthorized = {
    status: 401,
    contentType: 'application/problem+json',
    body: JSON.stringify({
      type: '/problems/invalid_token',
      title: 'Unauthorized',
      status: 401,
      detail: 'The access token is not valid or has expired.',
      code: 'invalid_token',
    }),
  };

  test('a 401 triggers one refresh and the request is retried', async ({ page }) => {
    await signIn(page, 'inspector1', PASSWORD);
    await expect(page.getByTestId('user-fullname')).not.toBeEmpty();

    // the next agencies request fails as if the access token had expired
    await page.route('**/api/v1/agencies?**', (route) => route.fulfill(unauthorized), { times: 1 });
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh') && r.status() === 200);
    await page.getByTestId('main-nav').getByRole('link', { name: 'Cơ quan' }).click();
    await refreshed;
    await expect(page.getByTestId('agencies-table')).toBeVisible();
    await expect(page.getByTestId('user-fullname')).not.toBeEmpty();
  });

  test('when the refresh fails too, the app returns to the sign-in page', async ({ page }) => {
    await signIn(page, 'inspector2', PASSWORD);
    await expect(page.getByTestId('user-fullname')).not.toBeEmpty();
    // the home page's own requests (the dashboard and its unit filter) are done before the network turns hostile
    await page.waitForLoadState('networkidle');

    await page.route('**/api/v1/admin-units?**', (route) => route.fulfill(unauthorized));
    await page.route('**/api/v1/auth/refresh', (route) => route.fulfill(unauthorized));
    await page.getByTestId('main-nav').getByRole('link', { name: 'Đơn vị hành chính' }).click();
    await expect(page.getByTestId('login-form')).toBeVisible();
    await expect(page.getByText('Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.')).toBeVisible();
  });
});
