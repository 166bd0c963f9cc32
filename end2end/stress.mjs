// Page loads at once against a running target, counting every page that does not finish:
//   node end2end/stress.mjs BASE_URL [LOADS] [AT_ONCE]
// Signs in as the demo owner (E2E_OWNER_PASSWORD) and loads a mix of pages, each of which
// asks for data while it renders: the sign-in page, a staff page, an invitation page for a
// link that does not exist. A page counts as finished when its whole HTML body arrived
// within 30 s; anything else is listed. Exits 1 when any page did not finish.
const [base, loads = '2000', atOnce = '50'] = process.argv.slice(2);
if (!base) {
  console.error('usage: node end2end/stress.mjs BASE_URL [LOADS] [AT_ONCE]');
  process.exit(2);
}
const total = Number(loads);
const concurrency = Number(atOnce);
const password = process.env.E2E_OWNER_PASSWORD;

async function signIn() {
  const body = new URLSearchParams({ email: 'owner@example.org', password });
  const response = await fetch(`${base}/api/login`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { origin: base, accept: 'text/html' },
  });
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (!cookie) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return cookie;
}

const cookie = await signIn();
const pages = [
  { path: '/login', headers: {} },
  { path: '/staff/members', headers: { cookie } },
  { path: '/invite/no-such-link-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', headers: {} },
];

const unfinished = [];
const statuses = new Map();
const times = [];
let next = 0;

async function load(i) {
  const page = pages[i % pages.length];
  const started = performance.now();
  try {
    const response = await fetch(`${base}${page.path}`, {
      headers: { accept: 'text/html', ...page.headers },
      signal: AbortSignal.timeout(30_000),
    });
    const html = await response.text();
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    if (!html.includes('</html>')) unfinished.push(`${page.path}: body ended without </html>`);
    times.push(performance.now() - started);
  } catch (error) {
    unfinished.push(`${page.path}: ${error.name}: ${error.message}`);
  }
}

async function worker() {
  while (next < total) await load(next++);
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
times.sort((a, b) => a - b);
const at = (q) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0);
console.log(
  `${base}: ${total} page loads, ${concurrency} at once, in ${seconds.toFixed(1)} s: ` +
    `${total - unfinished.length} finished, ${unfinished.length} unfinished; ` +
    `statuses ${JSON.stringify(Object.fromEntries(statuses))}; median ${at(0.5)} ms, p99 ${at(0.99)} ms`,
);
for (const line of unfinished.slice(0, 20)) console.log(`  unfinished: ${line}`);
process.exit(unfinished.length === 0 ? 0 : 1);
