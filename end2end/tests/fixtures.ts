// What every browser test shares: a desktop for staff and a phone for members, each page
// watched for console errors and hydration warnings, and the checks run on every page.
import { test as base, expect, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export { expect };

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const NARROW_PHONE = { width: 360, height: 740 };
const REFLOW = { width: 320, height: 640 };
/** Every rule of WCAG 2.0, 2.1 and 2.2 at levels A and AA, whatever its impact. */
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
export const OWNER = { email: 'owner@example.org', password: process.env.E2E_OWNER_PASSWORD! };

type Device = 'desktop' | 'phone';

/** A browser tab of one person, on one device. */
export class Tab {
  readonly problems: string[] = [];
  /** Each server function or page that answered 4xx (a page's 404 aside), as "422 /api/add_member". */
  readonly refusals = new Set<string>();
  /** The refusals this test makes on purpose: `expectRefusal`. */
  readonly expectedRefusals = new Set<string>();

  constructor(
    readonly page: Page,
    readonly device: Device,
    readonly scripts: boolean,
    private readonly testInfo: TestInfo,
  ) {
    page.on('pageerror', (error) => this.problems.push(`uncaught: ${error.message}`));
    // A server error says what it was: the target's own text (wrangler's proxy, for one,
    // answers 503 with its reason), not only the console's "status of 503".
    page.on('response', async (response) => {
      const path = new URL(response.url()).pathname;
      const page = response.request().isNavigationRequest() && response.status() !== 404;
      if (response.status() >= 400 && response.status() < 500 && (path.startsWith('/api/') || page)) {
        this.refusals.add(`${response.status()} ${path}`);
      }
      if (response.status() < 500) return;
      const body = await response.text().catch(() => '(no body)');
      this.problems.push(`${response.status()} from ${response.request().method()} ${response.url()}: ${body.slice(0, 300)}`);
    });
    page.on('console', (message) => {
      // Without scripts nothing of ours runs; Chromium only warns that the preloaded WASM
      // went unused. Errors still count.
      if (message.type() !== 'error' && (message.type() !== 'warning' || !scripts)) return;
      if (!expectedRefusal(message.text(), message.location().url, page.url())) {
        this.problems.push(`console ${message.type()}: ${message.text()}`);
      }
    });
  }

  /**
   * Says that this test makes a server function or a page refuse on purpose (bad input, a
   * used link): `path` is "/api/login" or "/staff/invite-round". The refusal must then
   * happen, and any other one fails the test.
   */
  expectRefusal(status: number, path: string): void {
    this.expectedRefusals.add(`${status} ${path}`);
  }

  /** Opens a path and waits until the page is ready for a person: hydrated, when scripts run. */
  async open(path: string): Promise<void> {
    await this.page.goto(path);
    await this.ready();
  }

  /** After a navigation: with scripts on, the app marks the body once hydration is done. */
  async ready(): Promise<void> {
    await this.page.waitForLoadState('load');
    if (this.scripts) await expect(this.page.locator('body[data-hydrated]')).toBeAttached();
  }

  /**
   * The checks every page of a flow gets: no axe violation of any WCAG 2.2 A or AA rule,
   * no sideways scroll at 320 px, and a screenshot in both viewports. Member pages must
   * also be comfortable on a phone.
   */
  async check(name: string, { memberPage = false } = {}): Promise<void> {
    const axe = await this.axe();
    const violations = axe.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
    expect(violations, `accessibility of ${name} (every WCAG 2.2 A and AA rule)`).toEqual([]);

    const own = this.page.viewportSize()!;
    for (const [label, size] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      await this.page.setViewportSize(size);
      const path = this.testInfo.outputPath(`${this.testInfo.project.name}-${name}-${label}.png`);
      await this.page.screenshot({ path, fullPage: true });
      await this.testInfo.attach(`${name} (${label})`, { path, contentType: 'image/png' });
    }
    if (memberPage) {
      for (const size of [PHONE, NARROW_PHONE]) {
        await this.page.setViewportSize(size);
        expect(await phoneComfortProblems(this.page), `${name} at ${size.width} px`).toEqual([]);
      }
    }
    // Every page reflows at 320 CSS px (WCAG 1.4.10): wide tables scroll in their own box.
    await this.page.setViewportSize(REFLOW);
    expect(await sidewaysScroll(this.page), `${name} at 320 px`).toBeNull();
    await this.page.setViewportSize(own);
  }

  /**
   * axe-core needs scripts (and their timers) in the page. Without JavaScript it checks a
   * copy of exactly what this tab shows, with the stylesheet but none of the app's scripts.
   */
  /**
   * The e-mail an e-mail preview's sandboxed frame shows, checked as a page of its own: no
   * axe violation, and a screenshot at both sizes. (Its frame runs no script, so the page's
   * own check leaves it out.)
   */
  async checkEmail(name: string): Promise<void> {
    const src = await this.page.locator('iframe.mail-frame').getAttribute('src');
    const response = await this.page.request.get(src!);
    expect(response.status(), `the preview frame ${src}`).toBe(200);
    const mail = await this.page.context().newPage();
    await mail.setContent(await response.text());
    const results = await new AxeBuilder({ page: mail }).withTags(WCAG_22_AA).analyze();
    const violations = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}`);
    expect(violations, `accessibility of the e-mail ${name}`).toEqual([]);
    for (const [label, size] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      await mail.setViewportSize(size);
      const path = this.testInfo.outputPath(`${this.testInfo.project.name}-${name}-${label}.png`);
      await mail.screenshot({ path, fullPage: true });
      await this.testInfo.attach(`${name} (${label})`, { path, contentType: 'image/png' });
    }
    await mail.close();
  }

  private async axe() {
    // An e-mail preview's frame is sandboxed: nothing, axe included, runs in it (`checkEmail`).
    const builder = (page: Page) => new AxeBuilder({ page }).withTags(WCAG_22_AA).exclude('iframe.mail-frame');
    if (this.scripts) return builder(this.page).analyze();
    const html = await this.page.content();
    const copy = await this.page.context().browser()!.newContext({ javaScriptEnabled: true, viewport: this.page.viewportSize() });
    await copy.route('**/*', (route) => {
      if (route.request().isNavigationRequest()) return route.fulfill({ body: html, contentType: 'text/html' });
      return route.request().resourceType() === 'stylesheet' ? route.continue() : route.abort();
    });
    const page = await copy.newPage();
    await page.goto(this.page.url());
    const results = await builder(page).analyze();
    await copy.close();
    return results;
  }
}

/**
 * Chromium logs every 4xx answer as "Failed to load resource". Those of server functions and
 * of the page itself are checked against `expectRefusal` by the response listener instead
 * (the not-found and invalid-link pages' 404 is the app working). A missing /pkg file still
 * counts as a problem.
 */
function expectedRefusal(text: string, resource: string, pageUrl: string): boolean {
  if (!/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return false;
  return new URL(resource, pageUrl).pathname.startsWith('/api/') || resource === pageUrl;
}

/** How wide the page is when it scrolls sideways, and the innermost elements past its edge; else null. */
function sidewaysScroll(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return null;
    const past = [...document.body.querySelectorAll('*')].filter(
      (el) => el.checkVisibility() && el.getBoundingClientRect().right > root.clientWidth + 1,
    );
    const innermost = past.filter((el) => !past.some((other) => other !== el && el.contains(other)));
    const named = innermost.slice(0, 3).map((el) => `<${el.tagName.toLowerCase()} class="${el.className}">`);
    return `${root.scrollWidth} px wide in ${root.clientWidth} px: ${named.join(', ')}`;
  });
}

/**
 * What makes a page hard to use on a phone: sideways scrolling, tap targets under 44×44 px
 * (links inside a sentence excepted, as WCAG 2.5.8 does), text under 16 px.
 */
function phoneComfortProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const describe = (el: Element) => `<${el.tagName.toLowerCase()}> "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) {
      problems.push(`scrolls sideways: ${root.scrollWidth} px wide in ${root.clientWidth} px`);
    }
    for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
      if (!el.checkVisibility()) continue;
      const inSentence =
        el.tagName === 'A' && (el.parentElement?.textContent ?? '').trim() !== (el.textContent ?? '').trim();
      const box = el.getBoundingClientRect();
      if (!inSentence && (box.width < 44 || box.height < 44)) {
        problems.push(`tap target ${describe(el)} is ${Math.round(box.width)}×${Math.round(box.height)} px`);
      }
    }
    const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (texts.nextNode()) {
      const parent = texts.currentNode.parentElement;
      if (!parent || !texts.currentNode.textContent?.trim() || !parent.checkVisibility()) continue;
      const size = parseFloat(getComputedStyle(parent).fontSize);
      if (size < 16) problems.push(`text ${describe(parent)} is ${size} px`);
    }
    return problems;
  });
}

async function newTab(browser: Browser, device: Device, scripts: boolean, baseURL: string, testInfo: TestInfo) {
  const context: BrowserContext = await browser.newContext({
    baseURL,
    javaScriptEnabled: scripts,
    ...(device === 'phone'
      ? { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
      : { viewport: DESKTOP }),
  });
  return new Tab(await context.newPage(), device, scripts, testInfo);
}

/** `openTab('desktop' | 'phone')`; at the end of the test no tab may have logged a problem. */
export const test = base.extend<{ openTab: (device: Device) => Promise<Tab> }>({
  openTab: async ({ browser, baseURL, javaScriptEnabled }, use, testInfo) => {
    const tabs: Tab[] = [];
    await use(async (device) => {
      const tab = await newTab(browser, device, javaScriptEnabled !== false, baseURL!, testInfo);
      tabs.push(tab);
      return tab;
    });
    for (const tab of tabs) {
      expect(tab.problems, `console of the ${tab.device} tab`).toEqual([]);
      const sorted = (set: Set<string>) => [...set].sort();
      expect(sorted(tab.refusals), `refusals in the ${tab.device} tab`).toEqual(sorted(tab.expectedRefusals));
      await tab.page.context().close();
    }
  },
});
