// A member whose invitation expired asks for a new link on their phone, instead of phoning
// the office: the expired link's page says so and offers "Send me a new link"; the new link
// comes to the same address, and they join with it. Staff see it on the timeline.
import { execFileSync } from 'node:child_process';
import { expect, type Tab, test } from './fixtures';
import { acceptInvitation, invitationLinks, staffInviteSomeone } from './steps';

/**
 * Time passes for one invitation: its link expired a minute ago. Written straight into the
 * target's database file (serve.sh's state directory), as the clock of a running target
 * cannot be moved.
 */
function expireInvitationsTo(email: string, baseURL: string, target: string): void {
  const state = `${process.env.TMPDIR ?? '/tmp'}/portico-e2e-${target}-${new URL(baseURL).port}`;
  const script = `
import glob, sqlite3, sys
state, email = sys.argv[1], sys.argv[2]
files = [f for f in glob.glob(state + '/**/*.sqlite', recursive=True) + glob.glob(state + '/*.db')
         if not f.endswith('metadata.sqlite')]
changed = 0
for name in files:
    db = sqlite3.connect(name, timeout=10)
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'invitations'").fetchone():
        changed += db.execute("UPDATE invitations SET expires_at = CAST(strftime('%s', 'now') AS INTEGER) - 60 "
                              "WHERE email = ? AND accepted_at IS NULL", (email,)).rowcount
        db.commit()
    db.close()
sys.exit(0 if changed == 1 else f'{changed} invitations to {email} in {files}')
`;
  execFileSync('python3', ['-c', script, state, email]);
}

/** Opens a link's page that is not an open invitation: the app answers 404, as it should. */
async function openClosedLink(tab: Tab, link: string): Promise<void> {
  const answer = await tab.page.goto(link);
  expect(answer?.status()).toBe(404);
  await tab.ready();
}

test('a member asks for a new link from an expired invitation on their phone', async ({ openTab, baseURL }, testInfo) => {
  // Writing the Worker's local D1 file from another process makes workerd answer its own
  // reads meanwhile with SQLITE_BUSY (a 500 for whichever test reads then): on the server
  // alone, whose SQLite waits for the lock. The page and the renewal are the same code on both.
  test.skip(testInfo.project.name === 'worker', 'the Worker keeps its own clock and database');
  const staff = await openTab('desktop');
  const person = await staffInviteSomeone(staff, 'Late');
  const profile = staff.page.url();
  const [expired] = await invitationLinks(staff, person.email);
  expireInvitationsTo(person.email, baseURL!, testInfo.project.name);

  const member = await openTab('phone');
  await openClosedLink(member, expired);
  await expect(member.page.getByRole('heading', { level: 1 })).toHaveText('This invitation has expired');
  await expect(member.page.getByText('It is sent to the address this invitation was sent to.')).toBeVisible();
  await member.check('expired-invitation', { memberPage: true });
  await member.page.getByRole('button', { name: 'Send me a new link' }).click();
  await expect(member.page).toHaveURL(/\/new-link$/);
  await expect(member.page.getByRole('heading', { level: 1 })).toHaveText('Check your e-mail');
  await member.ready();
  await member.check('new-link-asked', { memberPage: true });

  const [renewed, first] = await invitationLinks(member, person.email, 2);
  expect(first).toBe(expired);
  expect(renewed).not.toBe(expired);
  await member.open(renewed);
  await acceptInvitation(member, person, 'a long and lovely passphrase');

  // Joined: either link now says to sign in, and neither offers a new one.
  for (const link of [renewed, expired]) {
    await openClosedLink(member, link);
    await expect(member.page.getByRole('heading', { level: 1 })).toHaveText('This invitation has been used');
    await expect(member.page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
    await expect(member.page.getByRole('button', { name: 'Send me a new link' })).toHaveCount(0);
  }
  await member.check('used-invitation', { memberPage: true });

  await staff.open(new URL(profile).pathname);
  await expect(
    staff.page.getByText(`${person.firstName} ${person.lastName} asked for a new link from their expired invitation; it was sent to ${person.email}.`),
  ).toBeVisible();
});
