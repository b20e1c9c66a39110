// The JavaScript a first visit downloads (cold cache), for the sign-in page and for the home page of a signed-in
// user, and what the service worker downloads afterwards to work offline. Checks which chunks each screen fetches
// (the sign-in page not the signed-in layout, the charts or the English texts); prints the sizes and times for
// information, asserting nothing about them (the budget is checked on the build by `npm run check:bundle`).
import { gzipSync } from 'node:zlib';
import { expect, slowChunks, test, type Browser, type BrowserContext, type Page } from './fixtures';
import { PASSWORD } from './support';

// its figures mean nothing when the chunks are delayed on purpose
test.skip(slowChunks, 'timings are not measured with E2E_SLOW_CHUNKS_MS');

interface Script {
  path: string;
  /** Bytes on the wire (the body as sent: compressed when the server compresses). */
  transferred: number;
  raw: number;
  gzip: number;
  bySw: boolean;
  at: number;
}

/** Records the built scripts (/assets/*.js) the context fetches, the page's and its service worker's. */
function recordScripts(context: BrowserContext) {
  const scripts: Script[] = [];
  const pending: Promise<void>[] = [];
  let recording = true;
  context.on('response', (response) => {
    const url = new URL(response.url());
    if (!recording || !url.pathname.startsWith('/assets/') || !url.pathname.endsWith('.js')) return;
    const at = Date.now();
    pending.push(
      (async () => {
        const bySw = response.request().serviceWorker() !== null;
        // (the body of a service worker's own request cannot be read here: its size on the wire only)
        const body = bySw ? null : await response.body().catch(() => null);
        const sizes = await response.request().sizes().catch(() => null);
        scripts.push({
          path: url.pathname,
          transferred: sizes?.responseBodySize || body?.length || 0,
          raw: body?.length ?? 0,
          gzip: body ? gzipSync(body, { level: 9 }).length : 0,
          bySw,
          at,
        });
      })(),
    );
  });
  return {
    scripts,
    async stop() {
      recording = false;
      await Promise.all(pending);
    },
  };
}

const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;

function report(title: string, scripts: Script[]) {
  const sum = (k: 'transferred' | 'raw' | 'gzip') => scripts.reduce((s, x) => s + x[k], 0);
  const lines = [...scripts]
    .sort((a, b) => b.raw - a.raw)
    .map((s) => `    ${kb(s.transferred).padStart(9)} ${kb(s.gzip).padStart(9)}  ${s.path}`);
  return [
    `${title}: ${scripts.length} scripts, ${kb(sum('transferred'))} transferred (${kb(sum('raw'))} uncompressed, ${kb(sum('gzip'))} if gzip-compressed)`,
    `    ${'wire'.padStart(9)} ${'gzip'.padStart(9)}`,
    ...lines,
  ].join('\n');
}

async function newContext(browser: Browser, baseURL: string, storageState?: Awaited<ReturnType<BrowserContext['storageState']>>) {
  return browser.newContext({ baseURL, locale: 'vi-VN', storageState });
}

/** Milliseconds since the page's navigation started, read in the page. */
const pageNow = (page: Page) => page.evaluate<number>('performance.now()');

test('first visits: what each screen downloads (sizes printed for information)', async ({ browser }, info) => {
  test.setTimeout(60_000);
  const baseURL = info.project.use.baseURL!;

  // ---- the sign-in page, cold cache
  const first = await newContext(browser, baseURL);
  const signInPage = await first.newPage();
  const signInScripts = recordScripts(first);
  await signInPage.goto('/dang-nhap');
  await expect(signInPage.getByTestId('login-form')).toBeVisible();
  await signInPage.waitForLoadState('networkidle');
  await signInScripts.stop();

  await signInPage.getByTestId('login-username').fill('coordinator');
  await signInPage.getByTestId('login-password').fill(PASSWORD);
  await signInPage.getByTestId('login-submit').click();
  await expect(signInPage.getByTestId('user-fullname')).not.toBeEmpty();
  const session = await first.storageState();
  await first.close();

  // ---- the home page of a signed-in user (the refresh cookie only), cold cache, then the service worker
  const second = await newContext(browser, baseURL, session);
  const home = await second.newPage();
  const homeScripts = recordScripts(second);
  const started = Date.now();
  await home.goto('/');
  await home.waitForLoadState('load');
  const loadedAt = Date.now();
  await expect(home.getByTestId('dashboard-stats')).toBeVisible();
  await expect(home.getByTestId('chart-stars').locator('svg.recharts-surface').first()).toBeVisible();
  const shownAt = Date.now();
  const shownInPage = await pageNow(home);
  await home.evaluate('navigator.serviceWorker.ready.then(() => true)');
  await homeScripts.stop();
  await second.close();

  const pageScripts = homeScripts.scripts.filter((s) => !s.bySw);
  const swScripts = homeScripts.scripts.filter((s) => s.bySw);
  const firstSw = swScripts.length ? Math.min(...swScripts.map((s) => s.at)) : null;
  const text = [
    report('Sign-in page, first visit', signInScripts.scripts.filter((x) => !x.bySw)),
    report('Home page (dashboard), first visit signed in', pageScripts),
    `    load event ${loadedAt - started} ms after navigation; dashboard with its charts shown after ${shownAt - started} ms (${Math.round(shownInPage)} ms in the page's clock)`,
    swScripts.length
      ? `Service worker precache: ${swScripts.length} scripts, ${kb(swScripts.reduce((s, x) => s + x.transferred, 0))} transferred, ` +
        `its first request ${firstSw! - loadedAt} ms after the load event, ${firstSw! - shownAt} ms after the dashboard was shown`
      : 'Service worker precache: no script request seen from the worker (its own requests are not reported here, or it fetched nothing)',
  ].join('\n');
  console.log(text);
  await info.attach('javascript-first-visit.txt', { body: text, contentType: 'text/plain' });
  // what each screen fetches: the sign-in page neither the signed-in layout, nor the charts, nor the English texts
  const names = (list: Script[]) => list.map((s) => s.path.replace(/^\/assets\//, '').replace(/-[\w-]{8}\.js$/, ''));
  const signInNames = names(signInScripts.scripts.filter((x) => !x.bySw));
  expect(signInNames).toContain('LoginPage');
  for (const later of ['AppLayout', 'Dashboard', 'charts', 'en']) expect(signInNames).not.toContain(later);
  // the signed-in home page: the layout and the dashboard, its charts, still no English texts for a Vietnamese user
  const homeNames = names(pageScripts);
  for (const needed of ['AppLayout', 'HomePage', 'Dashboard', 'charts']) expect(homeNames).toContain(needed);
  expect(homeNames).not.toContain('en');
});
