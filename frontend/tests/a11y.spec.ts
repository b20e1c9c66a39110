// Accessibility: axe-core over the main screens (WCAG 2.0 and 2.1, levels A and AA), in Vietnamese (the default)
// and in English. Any serious or critical violation fails the test, which prints every one it found: rule,
// impact, the elements (CSS selectors) and the rule's help page. Moderate and minor ones do not fail it.
//
// Screens are reached the way a user does (menu, tabs, links) rather than by reloading each address,
// which keeps the whole file well under a minute.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type TestInfo } from './fixtures';
import { apiGet, apiToken, PASSWORD, signIn } from './support';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING = new Set(['serious', 'critical']);
const DIALOG = '[role="dialog"]';

interface Problem {
  screen: string;
  id: string;
  impact: string;
  help: string;
  helpUrl: string;
  targets: string[];
}

/** Collects the serious and critical violations of the screens one test audits; `assertClean` fails on them. */
class Audit {
  readonly problems: Problem[] = [];
  private screens: string[] = [];

  constructor(private readonly info: TestInfo) {}

  /**
   * Runs axe on the page as it is now: the caller waits for the screen's content first. `within` narrows it to
   * a part of the page (a dialog over a screen already audited).
   */
  async check(page: Page, screen: string, within?: string) {
    let builder = new AxeBuilder({ page });
    if (within) builder = builder.include(within);
    const results = await builder
      // only the violations' elements are serialised (the passes of a long table are thousands of nodes);
      // options() replaces the run options, so it comes before withTags()
      .options({ resultTypes: ['violations'] })
      .withTags(TAGS)
      // axe.run() in the page itself: the default runs each frame apart and merges the results in a new blank
      // page, which costs a second per check; the app has no frames, so nothing is lost
      .setLegacyMode(true)
      .analyze();
    this.screens.push(screen);
    for (const v of results.violations) {
      if (!BLOCKING.has(v.impact ?? '')) continue;
      this.problems.push({
        screen,
        id: v.id,
        impact: v.impact ?? '',
        help: v.help,
        helpUrl: v.helpUrl,
        targets: v.nodes.map((n) => n.target.map(String).join(' >> ')),
      });
    }
  }

  summary(): string {
    return this.problems
      .map((p) => {
        const shown = p.targets.slice(0, 10).map((t) => `      - ${t}`);
        if (p.targets.length > 10) shown.push(`      … and ${p.targets.length - 10} more`);
        return [`  [${p.impact}] ${p.id} on "${p.screen}": ${p.help}`, `      ${p.helpUrl}`, ...shown].join('\n');
      })
      .join('\n');
  }

  assertClean() {
    const text = this.summary();
    console.log(
      text
        ? `axe (${this.info.title}): serious/critical violations\n${text}`
        : `axe (${this.info.title}): ${this.screens.length} screens, no serious or critical violation`,
    );
    expect(this.problems.length, `serious/critical accessibility violations:\n${text}`).toBe(0);
  }
}

/** The 2024 plan of the demo data (in progress, with visits, findings and documents). */
async function plan2024(request: Parameters<typeof apiToken>[0], username: string) {
  const token = await apiToken(request, username);
  const plan = (await apiGet(request, token, '/api/v1/campaigns?year=2024')).items[0] as { id: number };
  return { token, plan };
}

// Modals and drawers appear at once (the theme respects reduced motion), so nothing is audited half faded in.
test.use({ reducedMotion: 'reduce' });

test('sign-in page', async ({ page }, info) => {
  const audit = new Audit(info);
  await page.goto('/dang-nhap');
  await expect(page.getByTestId('login-form')).toBeVisible();
  await audit.check(page, 'sign-in');

  // with the fields' errors shown
  await page.getByTestId('login-submit').click();
  await expect(page.getByText('Vui lòng nhập tên đăng nhập.')).toBeVisible();
  await audit.check(page, 'sign-in, errors');
  audit.assertClean();
});

test('coordinator: home, plans, findings, registry, notifications', async ({ page, request }, info) => {
  test.setTimeout(60_000);
  const audit = new Audit(info);
  const { token, plan } = await plan2024(request, 'coordinator');
  const findings = (await apiGet(request, token, '/api/v1/findings?limit=50')).items as { id: number; status: string }[];
  const finding = findings.find((f) => f.status === 'action_required') ?? findings[0];

  await signIn(page, 'coordinator');
  const nav = (key: string) => page.getByTestId(`nav-${key}`).click();

  // home: the dashboard with its charts, then the notifications drawer over it
  await expect(page.getByTestId('dashboard-stats')).toBeVisible();
  await expect(page.getByTestId('chart-stars').locator('svg.recharts-surface').first()).toBeVisible();
  await audit.check(page, 'home (dashboard)');
  await page.getByTestId('notification-bell').click();
  const drawer = page.getByRole('dialog', { name: 'Thông báo' });
  await expect(drawer.getByTestId('notifications-panel')).toBeVisible();
  await audit.check(page, 'notifications drawer', DIALOG);
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // the plans, then one plan tab by tab
  await nav('campaigns');
  await expect(page.getByTestId('campaign-row').first()).toBeVisible();
  await audit.check(page, 'plans');
  await page.locator(`[data-testid="campaign-row"][data-campaign-id="${plan.id}"]`).getByTestId('campaign-link').click();
  await expect(page.getByTestId('plan-document')).toBeVisible();
  await audit.check(page, 'plan: plan tab');
  const tabs: [tab: string, content: string][] = [
    ['team', 'team-table'],
    ['schedule', 'visit-card'],
    ['checklist', 'checklist'],
    ['tasks', 'task-card'],
    ['reports', 'reports-table'],
    ['documents', 'document-row'],
  ];
  for (const [tab, content] of tabs) {
    await page.getByTestId(`tab-${tab}`).click();
    await expect(page.getByTestId(content).first()).toBeVisible();
    await audit.check(page, `plan: ${tab} tab`);
  }
  await page.getByTestId('tab-schedule').click();
  await page.getByTestId('schedule-view').getByText('Lịch tháng').click();
  await expect(page.getByTestId('calendar-month')).toBeVisible();
  await audit.check(page, 'plan: schedule as a calendar');

  // findings, and one finding with its corrective actions
  await nav('findings');
  await expect(page.getByTestId('finding-row').first()).toBeVisible();
  await audit.check(page, 'findings');
  await page.locator(`[data-testid="finding-row"][data-id="${finding.id}"]`).getByTestId('finding-link').click();
  await expect(page.getByTestId('action-card').first()).toBeVisible();
  await audit.check(page, 'finding with its corrective actions');

  // the registry: products (and a product's drawer), producers (and the registration form), the import
  await nav('products');
  await expect(page.getByTestId('product-row').first()).toBeVisible();
  await audit.check(page, 'products');
  await page.getByTestId('product-name').first().click();
  await expect(page.getByTestId('product-detail')).toBeVisible();
  await audit.check(page, 'product drawer', DIALOG);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('product-detail')).toBeHidden();

  await nav('producers');
  await expect(page.getByTestId('producer-row').first()).toBeVisible();
  await audit.check(page, 'producers');
  await page.getByTestId('producer-create').click();
  await expect(page.getByTestId('producer-form')).toBeVisible();
  await audit.check(page, 'producer form', DIALOG);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('producer-form')).toBeHidden();

  await nav('imports');
  await expect(page.getByTestId('import-file')).toBeVisible();
  await audit.check(page, 'registry import');

  await nav('compliance');
  await expect(page.getByTestId('compliance-product')).toBeVisible();
  await audit.check(page, 'compliance lookup');
  audit.assertClean();
});

test('inspector: a visit’s record, checklist and findings', async ({ page, request }, info) => {
  const audit = new Audit(info);
  const { token, plan } = await plan2024(request, 'inspector1');
  const visits = (await apiGet(request, token, `/api/v1/campaigns/${plan.id}/visits`)).items as {
    id: number;
    kind: string;
    status: string;
  }[];
  const inProgress = visits.find((v) => v.kind === 'site_visit' && v.status === 'in_progress');
  const submitted = visits.find((v) => v.kind === 'site_visit' && ['submitted', 'approved', 'locked'].includes(v.status));
  expect(inProgress, 'the demo data has a site visit in progress').toBeTruthy();
  expect(submitted, 'the demo data has a submitted site visit').toBeTruthy();

  await signIn(page, 'inspector1');
  await page.getByTestId('nav-myVisits').click();
  await expect(page.getByTestId('my-visit').first()).toBeVisible();
  await audit.check(page, 'my visits');

  await page.goto(`/luot-kiem-tra/${inProgress!.id}`);
  await expect(page.getByTestId('answer-item').first()).toBeVisible();
  await audit.check(page, 'visit in progress: record and checklist');

  await page.goto(`/luot-kiem-tra/${submitted!.id}`);
  await expect(page.getByTestId('visit-finding').first()).toBeVisible();
  await audit.check(page, 'submitted visit: checklist and findings');
  audit.assertClean();
});

test('administrator: users, document templates, agencies, units, audit trail, account', async ({ page }, info) => {
  const audit = new Audit(info);
  await signIn(page, 'admin');
  const nav = (key: string) => page.getByTestId(`nav-${key}`).click();
  const firstRow = page.locator('main tbody tr').first();

  await nav('users');
  await expect(page.getByTestId('user-row-admin')).toBeVisible();
  await audit.check(page, 'users');
  await page.getByTestId('user-create').click();
  await expect(page.getByTestId('user-form')).toBeVisible();
  await audit.check(page, 'user form', DIALOG);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('user-form')).toBeHidden();

  await nav('templates');
  await expect(page.getByTestId('template-kind-row')).toHaveCount(6);
  await expect(page.getByTestId('preview-campaign').first()).not.toHaveValue('');
  await audit.check(page, 'document templates');

  await nav('agencies');
  await expect(firstRow).toBeVisible();
  await audit.check(page, 'agencies');

  await nav('adminUnits');
  await expect(firstRow).toBeVisible();
  await audit.check(page, 'administrative units');

  await nav('audit');
  await expect(firstRow).toBeVisible();
  await audit.check(page, 'audit trail');

  await nav('account');
  await expect(page.getByTestId('change-password-form')).toBeVisible();
  await audit.check(page, 'account');
  audit.assertClean();
});

test('in English: sign-in, home, plans', async ({ page }, info) => {
  const audit = new Audit(info);

  await page.goto('/dang-nhap');
  await page.getByTestId('language-switcher').click();
  await page.getByTestId('language-en').click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await audit.check(page, 'sign-in (en)');

  await page.getByTestId('login-username').fill('coordinator');
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('dashboard-stats')).toBeVisible();
  await expect(page.getByTestId('chart-stars').locator('svg.recharts-surface').first()).toBeVisible();
  await audit.check(page, 'home (en)');

  await page.getByTestId('nav-campaigns').click();
  await expect(page.getByTestId('campaign-row').first()).toBeVisible();
  await audit.check(page, 'plans (en)');

  // the choice is kept on the device: a reload starts in English (its texts are a chunk fetched before rendering)
  await page.reload();
  await expect(page.getByTestId('main-nav').getByRole('link', { name: 'Inspection plans' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  audit.assertClean();
});
