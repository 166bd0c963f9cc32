// A member who forgot their password asks for a link on their phone and sets a new one
// there; the phone they were signed in on before is signed out.
import { expect, test } from './fixtures';
import { acceptInvitation, invitationLinks, signIn, staffInviteSomeone } from './steps';

test('a member who forgot their password sets a new one on a phone from the e-mailed link', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const person = await staffInviteSomeone(staff, 'Hedy');
  const [invitation] = await invitationLinks(staff, person.email);
  const oldPhone = await openTab('phone');
  await oldPhone.open(invitation);
  await acceptInvitation(oldPhone, person, 'the first password');

  const phone = await openTab('phone');
  await phone.open('/login');
  await phone.page.getByRole('link', { name: 'Forgot your password?' }).tap();
  await expect(phone.page).toHaveURL(/\/forgot-password$/);
  await phone.ready();
  await phone.check('forgot-password', { memberPage: true });
  await phone.page.getByLabel('E-mail address').fill(person.email);
  await phone.page.getByRole('button', { name: 'Send me a link' }).tap();
  await expect(phone.page).toHaveURL(/\/forgot-password\/sent$/);
  await phone.ready();
  await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText('Check your e-mail');
  await phone.check('forgot-password-sent', { memberPage: true });

  const [link] = await invitationLinks(phone, person.email, 2);
  expect(link).toMatch(/^\/reset-password\//);
  await phone.open(link);
  await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
  await expect(phone.page.getByText(person.email)).toBeVisible();
  await phone.check('reset-password', { memberPage: true });
  await phone.page.getByLabel('Password', { exact: true }).fill('the second password');
  await phone.page.getByLabel('Repeat the password').fill('the second password');
  await phone.page.getByRole('button', { name: 'Set my new password' }).tap();
  await expect(phone.page).toHaveURL(/\/portal$/);
  await phone.ready();
  await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText(`${person.firstName} ${person.lastName}`);

  // The other phone is signed out; the old password no longer works, the new one does.
  await oldPhone.page.reload();
  await expect(oldPhone.page).toHaveURL(/\/login$/);
  await signIn(oldPhone, person.email, 'the first password');
  await expect(oldPhone.page.getByRole('alert')).toBeVisible();
  await expect(oldPhone.page).toHaveURL(/\/login/);
  await signIn(oldPhone, person.email, 'the second password');
  await expect(oldPhone.page).toHaveURL(/\/portal$/);
});
