// Staff management on a desktop: the owner invites a security administrator from the team
// page (a mistake is shown on its field first); they set up their login from the e-mailed
// link, re-enable a member's invite link (shown once, copyable), and the owner then makes
// them plain staff seeing only what they are given.
import { expect, test } from './fixtures';
import { addMember, invitationLinks, invite, newPerson, signIn, staffSignsIn } from './steps';

test('the owner invites a security administrator who re-enables a member’s link', async ({ openTab }) => {
  const owner = await openTab('desktop');
  const member = newPerson('Rhea');
  const colleague = newPerson('Sid');
  await staffSignsIn(owner);
  await addMember(owner, member);
  await invite(owner, member);
  const [emailed] = await invitationLinks(owner, member.email);
  const profile = new URL(owner.page.url()).pathname;

  await owner.page.getByRole('link', { name: 'Team' }).click();
  await expect(owner.page).toHaveURL(/\/staff\/team$/);
  await owner.ready();
  await expect(owner.page.getByRole('heading', { level: 1 })).toHaveText('Team');
  await owner.check('team');
  const form = owner.page.getByRole('region', { name: 'Invite someone to the team' });
  await form.getByLabel('Name').fill(`${colleague.firstName} ${colleague.lastName}`);
  await form.getByLabel('E-mail address').fill('someone@example');
  await form.getByLabel('Role').selectOption({ label: 'Security administrator' });
  await form.getByLabel('What they see').selectOption({ label: 'Every member' });
  await form.getByRole('button', { name: 'Send the invitation' }).click();
  await expect(owner.page.locator('#email-error')).not.toBeEmpty();
  await expect(form.getByLabel('Role')).toHaveValue('security_administrator');
  await expect(form.getByLabel('What they see')).toHaveValue('all');
  await form.getByLabel('E-mail address').fill(colleague.email);
  await form.getByRole('button', { name: 'Send the invitation' }).click();
  await expect(owner.page.getByText(`${colleague.firstName} ${colleague.lastName} (${colleague.email})`)).toBeVisible();

  const [link] = await invitationLinks(owner, colleague.email);
  expect(link).toMatch(/^\/join-staff\//);
  const sid = await openTab('desktop');
  await sid.open(link);
  await expect(sid.page.getByText('You are invited as Security administrator. You will see every member.')).toBeVisible();
  await sid.check('join-staff');
  await sid.page.getByLabel('Password', { exact: true }).fill('sid’s own password');
  await sid.page.getByLabel('Repeat the password').fill('sid’s own password');
  await sid.page.getByRole('button', { name: 'Join the team' }).click();
  await expect(sid.page).toHaveURL(/\/staff\/members$/);
  await sid.ready();
  await expect(sid.page.getByRole('link', { name: 'Team' })).toHaveCount(0);

  await sid.open(profile);
  await sid.page.getByRole('button', { name: 'Re-enable invite link' }).click();
  const shown = sid.page.getByLabel(`Invite link for ${member.firstName}`);
  await expect(shown).toHaveValue(/\/invite\//);
  await sid.ready();
  await sid.check('re-enabled-link');
  await sid.page.getByRole('button', { name: 'Copy link' }).click();
  await expect(sid.page.getByRole('button', { name: 'Copied' })).toBeVisible();
  const newLink = new URL(await shown.inputValue()).pathname;
  await sid.page.reload();
  await expect(sid.page.getByLabel(`Invite link for ${member.firstName}`)).toHaveCount(0);

  // The member's new link works; the e-mailed one died.
  const phone = await openTab('phone');
  await phone.open(newLink);
  await expect(phone.page.getByRole('button', { name: 'Set password and sign in' })).toBeVisible();
  await phone.open(emailed);
  await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText('This link is no longer valid');
  await expect(phone.page.getByRole('button', { name: 'Set password and sign in' })).toHaveCount(0);

  // The owner makes them plain staff who see only what they are given.
  await owner.page.reload();
  await owner.ready();
  const card = owner.page.locator('article.staff-member').filter({ hasText: colleague.email });
  await card.getByText('Change role or access').click();
  await card.getByLabel('Role').selectOption({ label: 'Staff' });
  await card.getByLabel('Sees').selectOption({ label: 'Only the members and groups given' });
  await card.getByRole('button', { name: 'Save role and access' }).click();
  await expect(card.getByText('Sees no member yet')).toBeVisible();
  await sid.open(profile);
  await expect(sid.page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await signIn(sid, colleague.email, 'sid’s own password');
  await expect(sid.page).toHaveURL(/\/staff\/members$/);
});
