// A member who does not want the portal says so from the invitation page, on a phone;
// staff then see the decline on the profile and may reinvite.
import { expect, test } from './fixtures';
import { invitationLinks, staffInviteSomeone } from './steps';

test('a member declines the portal from the invitation page on a phone', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const person = await staffInviteSomeone(staff, 'Dana');
  const profile = staff.page.url();
  const [link] = await invitationLinks(staff, person.email);

  const phone = await openTab('phone');
  await phone.open(link);
  await phone.check('accept-invitation-with-decline', { memberPage: true });
  await phone.page.getByRole('button', { name: "No thanks, I don't want portal access" }).tap();
  await expect(phone.page).toHaveURL(/\/declined$/);
  await phone.ready();
  await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText('You declined the invitation');
  await phone.check('declined', { memberPage: true });

  await staff.page.goto(profile);
  await staff.ready();
  await expect(staff.page.getByText(/^Declined on /)).toBeVisible();
  await expect(staff.page.getByText('Declined from the invitation page.')).toBeVisible();
  await expect(staff.page.getByRole('link', { name: 'Reinvite' })).toBeVisible();
  await staff.check('member-profile-declined');
});
