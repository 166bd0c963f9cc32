// The steps people take, written once for the flows with and without JavaScript.
import { expect, OWNER, type Tab } from './fixtures';

/** A member no other test touches: the targets keep their database for the whole run. */
export function newPerson(firstName: string) {
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return { firstName, lastName: `Tester ${tag}`, email: `${firstName.toLowerCase()}.${tag}@example.org` };
}
export type Person = ReturnType<typeof newPerson>;

export async function signIn(tab: Tab, email: string, password: string, check = false): Promise<void> {
  await tab.open('/login');
  if (check) await tab.check('sign-in', { memberPage: true });
  await tab.page.getByLabel('E-mail address').fill(email);
  await tab.page.getByLabel('Password', { exact: true }).fill(password);
  await tab.page.getByRole('button', { name: 'Sign in' }).click();
}

export async function staffSignsIn(tab: Tab, check = false): Promise<void> {
  await signIn(tab, OWNER.email, OWNER.password, check);
  await expect(tab.page).toHaveURL(/\/staff\/members$/);
  await tab.ready();
}

/** Adds the person from the member list; leaves the tab on their profile. */
export async function addMember(tab: Tab, person: Person, check = false): Promise<void> {
  await tab.page.getByRole('link', { name: 'Add member' }).click();
  await expect(tab.page).toHaveURL(/\/staff\/members\/new$/);
  await tab.ready();
  if (check) await tab.check('add-member');
  await tab.page.getByLabel('First name').fill(person.firstName);
  await tab.page.getByLabel('Last name').fill(person.lastName);
  await tab.page.getByLabel('E-mail address').fill(person.email);
  await tab.page.getByRole('button', { name: 'Add member' }).click();
  await expect(tab.page).toHaveURL(/\/staff\/members\/\d+$/);
  await expect(tab.page.getByRole('heading', { level: 1 })).toHaveText(`${person.firstName} ${person.lastName}`);
  await tab.ready();
}

/** From the member's profile: opens the invite form and sends it; back on the profile. */
export async function invite(tab: Tab, person: Person, check = false): Promise<void> {
  await tab.page.getByRole('link', { name: 'Invite', exact: true }).click();
  await expect(tab.page).toHaveURL(/\/invite$/);
  await tab.ready();
  if (check) await tab.check('invite');
  await expect(tab.page.getByLabel('E-mail address')).toHaveValue(person.email);
  await tab.page.getByLabel('Personal message').fill('See you at training!');
  await tab.page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(tab.page).toHaveURL(/\/staff\/members\/\d+$/);
  await expect(tab.page.locator('p.notice[role=status]')).toHaveText(`Invitation sent to ${person.email}.`);
  await expect(tab.page.getByText(`Sent to ${person.email}`, { exact: true })).toBeVisible();
  await tab.ready();
}

/** Staff sign in, add a new member and invite them; the tab ends on the member's profile. */
export async function staffInviteSomeone(staff: Tab, firstName: string): Promise<Person> {
  const person = newPerson(firstName);
  await staffSignsIn(staff);
  await addMember(staff, person);
  await invite(staff, person);
  return person;
}

/**
 * The invitation links e-mailed to `email`, newest first, read from the dev mailbox both
 * targets write to. The outbox sends just after the response, so this waits for `count`.
 */
export async function invitationLinks(tab: Tab, email: string, count = 1): Promise<string[]> {
  const mailbox = await tab.page.context().newPage();
  let links: string[] = [];
  await expect(async () => {
    await mailbox.goto('/dev/mailbox');
    const mails = mailbox.locator('article.mail').filter({ hasText: `To ${email}` });
    links = await mails.getByRole('link', { name: 'Open the link' }).evaluateAll((as) =>
      as.map((a) => (a as HTMLAnchorElement).href),
    );
    expect(links).toHaveLength(count);
  }).toPass({ timeout: 30_000 });
  await mailbox.close();
  return links.map((href) => new URL(href).pathname);
}

/** On the invitation page: chooses a password and lands on the portal. */
export async function acceptInvitation(tab: Tab, person: Person, password: string): Promise<void> {
  await expect(tab.page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${person.firstName}`);
  await tab.page.getByLabel('Password', { exact: true }).fill(password);
  await tab.page.getByLabel('Repeat the password').fill(password);
  await tab.page.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(tab.page).toHaveURL(/\/portal$/);
  await tab.ready();
  await expect(tab.page.getByRole('heading', { level: 1 })).toHaveText(`${person.firstName} ${person.lastName}`);
}
