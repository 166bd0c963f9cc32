// What a member's phone downloads and how long until the page works (make bench), against
// a running target in dev mode: the invitation page and the member portal, each on a first
// visit (empty cache) and a repeat visit, in Chromium throttled like a phone on a slow
// connection (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip, CPU 4× slower).
// Bytes are what crossed the network (headers included, compressed as sent); "hydrated" is
// the time from navigation start until the page marked itself interactive.
//   node end2end/phone.mjs BASE_URL
import { chromium } from 'playwright-core';

const [base] = process.argv.slice(2);
const target = process.env.TARGET ?? 'target';
const BUDGET = { firstKB: 250, repeatKB: 15, hydratedS: 3 };
const THROTTLE = { latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };

async function post(path, fields, cookie = '') {
  return fetch(`${base}${path}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
    headers: { origin: base, accept: 'text/html', cookie },
  });
}
const cookieOf = (response) => response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const mailboxLinks = async () =>
  new Set((await (await fetch(`${base}/dev/mailbox`)).text()).match(/\/invite\/[A-Za-z0-9_-]+/g) ?? []);

/** A new member invited by the demo owner; returns the link from the dev mailbox. */
async function invitedMember(email) {
  const staff = cookieOf(await post('/api/login', { email: 'owner@example.org', password: process.env.E2E_OWNER_PASSWORD }));
  if (!staff) throw new Error('the demo owner could not sign in');
  const added = await post('/api/add_member', { first_name: 'Phone', last_name: 'Member', email, phone: '', address: '' }, staff);
  const memberId = added.headers.get('location')?.match(/\/staff\/members\/(\d+)$/)?.[1];
  if (!memberId) throw new Error(`adding the member failed: ${added.status}`);
  const before = await mailboxLinks();
  const profile = await (await fetch(`${base}/staff/members/${memberId}`, { headers: { cookie: staff } })).text();
  const contactId = profile.match(new RegExp(`/staff/members/${memberId}/contacts/(\\d+)/invite`))?.[1];
  if (!contactId) throw new Error('no Invite link on the new member\'s profile');
  const sent = await post('/api/send_invitation', { contact_id: contactId, email, message: '' }, staff);
  if (sent.status >= 400) throw new Error(`invitation refused: ${sent.status} ${await sent.text()}`);
  for (let attempt = 0; attempt < 50; attempt++) {
    const link = [...(await mailboxLinks())].find((l) => !before.has(l));
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the invitation did not reach the dev mailbox');
}

/** One visit: bytes over the network and the time until hydrated. */
async function visit(page, cdp, path) {
  let bytes = 0;
  const count = (event) => (bytes += event.encodedDataLength);
  cdp.on('Network.loadingFinished', count);
  await page.goto(`${base}${path}`, { waitUntil: 'commit' });
  const hydrated = await page.waitForFunction(() => window.__hydratedAt, null, { timeout: 120_000 });
  await page.waitForLoadState('networkidle');
  cdp.off('Network.loadingFinished', count);
  return { kB: bytes / 1000, seconds: (await hydrated.jsonValue()) / 1000 };
}

async function measure(browser, name, path, cookie) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  if (cookie) {
    const pairs = cookie.split('; ').map((pair) => pair.split(/=(.*)/s));
    await context.addCookies(pairs.map(([cookieName, value]) => ({ name: cookieName, value, url: base })));
  }
  await context.addInitScript(() => {
    new MutationObserver(() => {
      if (!window.__hydratedAt && document.body?.hasAttribute('data-hydrated')) window.__hydratedAt = performance.now();
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...THROTTLE });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const first = await visit(page, cdp, path);
  const repeat = await visit(page, cdp, path);
  await context.close();
  const mark = (value, budget) => (value <= budget ? `(budget ${budget})` : `(OVER budget ${budget})`);
  console.log(
    `${target.padEnd(7)} ${name.padEnd(16)} first visit ${first.kB.toFixed(1)} kB ${mark(first.kB, BUDGET.firstKB)}, ` +
      `hydrated in ${first.seconds.toFixed(2)} s ${mark(first.seconds, BUDGET.hydratedS)}; ` +
      `repeat visit ${repeat.kB.toFixed(1)} kB ${mark(repeat.kB, BUDGET.repeatKB)}, hydrated in ${repeat.seconds.toFixed(2)} s`,
  );
}

const email = `phone.${Date.now().toString(36)}@example.org`;
const link = await invitedMember(email);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  await measure(browser, 'invitation page', link);
  const password = 'a phone member password';
  const accepted = await post('/api/accept_invitation', { token: link.split('/').pop(), password, confirm_password: password });
  const member = cookieOf(accepted);
  if (!member) throw new Error(`accepting the invitation failed: ${accepted.status}`);
  await measure(browser, 'member portal', '/portal', member);
} finally {
  await browser.close();
}
