// Progressive enhancement: the invite and accept flows work before (or without) the WASM,
// for members on slow phones and for anything that reads pages without running scripts.
import { expect, test } from './fixtures';
import { acceptInvitation, invitationLinks, staffInviteSomeone } from './steps';

test.use({ javaScriptEnabled: false });

test('without JavaScript staff invite and the member accepts', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const person = await staffInviteSomeone(staff, 'Katherine');
  await staff.check('member-profile-invited-nojs');
  const [link] = await invitationLinks(staff, person.email);

  const phone = await openTab('phone');
  await phone.open(link);
  // A mistake comes back from the server next to its field, the link still unused.
  await phone.page.getByLabel('Password', { exact: true }).fill('a long enough password');
  await phone.page.getByLabel('Repeat the password').fill('something else entirely');
  await phone.page.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(phone.page.locator('#confirm_password-error')).toHaveText('The two passwords are not the same.');
  await phone.check('accept-invitation-refused-nojs', { memberPage: true });

  await acceptInvitation(phone, person, 'a long enough password');
  await phone.check('portal-nojs', { memberPage: true });
});
