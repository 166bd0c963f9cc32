// One login, several profiles: a parent invited for two children accepts the first link on
// a phone, adds the second child's profile while signed in (no second password), and
// switches between the two in the portal.
import { expect, test } from './fixtures';
import { acceptInvitation, addMember, invitationLinks, invite, newPerson, staffSignsIn } from './steps';

test('a parent adds a second child on a phone and switches between them', async ({ openTab }) => {
  const parentEmail = newPerson('Parent').email;
  const mia = { ...newPerson('Mia'), email: parentEmail };
  const leo = { ...newPerson('Leo'), email: parentEmail };
  const staff = await openTab('desktop');
  await staffSignsIn(staff);
  for (const child of [mia, leo]) {
    await staff.open('/staff/members');
    await addMember(staff, child);
    await invite(staff, child);
  }
  const [leoLink, miaLink] = await invitationLinks(staff, parentEmail, 2);

  const phone = await openTab('phone');
  await phone.open(miaLink);
  await acceptInvitation(phone, mia, 'the parent password');
  await expect(phone.page.getByRole('navigation', { name: 'Your profiles' })).toHaveCount(0);

  await phone.open(leoLink);
  await expect(phone.page.getByLabel('Password', { exact: true })).toHaveCount(0);
  await phone.page.getByRole('button', { name: "Add Leo's profile" }).tap();
  await expect(phone.page).toHaveURL(/\/portal$/);
  await phone.ready();
  const switcher = phone.page.getByRole('navigation', { name: 'Your profiles' });
  await expect(switcher.getByRole('link')).toHaveCount(2);
  await phone.check('portal-profile-switcher', { memberPage: true });

  for (const child of [leo, mia]) {
    await switcher.getByRole('link', { name: `${child.firstName} ${child.lastName}` }).tap();
    await phone.ready();
    await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText(`${child.firstName} ${child.lastName}`);
    await expect(switcher.getByRole('link', { name: `${child.firstName} ${child.lastName}` })).toHaveAttribute('aria-current', 'page');
  }
});
