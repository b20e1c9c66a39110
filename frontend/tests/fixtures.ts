// The specs' `test`: Playwright's, plus a slow-network mode for the lazy page chunks.
//
// E2E_SLOW_CHUNKS_MS=1200 delays every JavaScript chunk but the entry by that long (a mountain connection):
// after a menu click the old page stays on screen for a moment while the next page's code loads, and a check
// that runs too early meets the old page. `make e2e-slow` runs the whole suite so, with service workers blocked
// (playwright.config.ts): once one has precached the chunks it would serve them at once.
import { test as base } from '@playwright/test';

export { expect } from '@playwright/test';
export type { APIRequestContext, Browser, BrowserContext, Locator, Page, TestInfo } from '@playwright/test';

const SLOW_MS = Number(process.env.E2E_SLOW_CHUNKS_MS ?? 0);

export const test = base.extend<{ slowChunks: void }>({
  slowChunks: [
    async ({ context }, use) => {
      if (SLOW_MS > 0) {
        await context.route(/\/assets\/(?!index-)[^/]+\.js$/, async (route) => {
          await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
          await route.continue();
        });
      }
      await use();
    },
    { auto: true },
  ],
});

/** True in the slow-network mode: specs that measure timings or need the service worker skip themselves. */
export const slowChunks = SLOW_MS > 0;
