// Prepares a fresh target for `make bench`: signs in as the demo owner, invites the first
// demo member (their own contact) and reads the link from the dev mailbox. Prints, for the shell:
//   COOKIE='portico_session=…' INVITE='/invite/…'
//   node end2end/bench-setup.mjs BASE_URL
const [base] = process.argv.slice(2);
const form = (fields) => ({
  method: 'POST',
  body: new URLSearchParams(fields),
  redirect: 'manual',
  headers: { origin: base, accept: 'text/html', cookie: '' },
});

const signIn = await fetch(`${base}/api/login`, form({ email: 'owner@example.org', password: process.env.E2E_OWNER_PASSWORD }));
const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
if (!cookie) throw new Error(`sign-in failed: ${signIn.status}`);

const members = await (await fetch(`${base}/staff/members`, { headers: { cookie } })).text();
const memberId = members.match(/\/staff\/members\/(\d+)"/)?.[1];
if (!memberId) throw new Error('no member on the demo list');
const profile = await (await fetch(`${base}/staff/members/${memberId}`, { headers: { cookie } })).text();
const contactId = profile.match(new RegExp(`/staff/members/${memberId}/contacts/(\\d+)/invite`))?.[1];
if (!contactId) throw new Error('no Invite link on the demo member\'s profile');
const invite = form({ contact_id: contactId, email: 'bench.member@example.org', message: '' });
invite.headers.cookie = cookie;
const sent = await fetch(`${base}/api/send_invitation`, invite);
if (sent.status >= 400) throw new Error(`invitation refused: ${sent.status} ${await sent.text()}`);

let link;
for (let attempt = 0; attempt < 50 && !link; attempt++) {
  const mailbox = await (await fetch(`${base}/dev/mailbox`)).text();
  link = mailbox.match(/\/invite\/[A-Za-z0-9_-]+/)?.[0];
  if (!link) await new Promise((resolve) => setTimeout(resolve, 200));
}
if (!link) throw new Error('the invitation did not reach the dev mailbox');
console.log(`COOKIE='${cookie}' INVITE='${link}'`);
