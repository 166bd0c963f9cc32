// Staff add a parent to a child's profile as a representative, invited at once, on a
// desktop; the parent accepts on a phone and sees the child's profile with their own login.
import { expect, test } from './fixtures';
import { addMember, invitationLinks, newPerson, staffSignsIn } from './steps';

test('a representative added by staff accepts on a phone and sees the member profile', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const child = newPerson('Noa');
  const parent = newPerson('Pat');
  await staffSignsIn(staff);
  await addMember(staff, child);
  await staff.page.getByRole('link', { name: 'Add a representative' }).click();
  await expect(staff.page).toHaveURL(/\/contacts\/new$/);
  await staff.ready();
  await staff.check('add-representative');
  await staff.page.getByLabel('E-mail address').fill(parent.email);
  await staff.page.getByLabel('First name').fill(parent.firstName);
  await staff.page.getByLabel('Last name').fill(parent.lastName);
  await staff.page.getByLabel('Relation').fill('parent');
  await expect(staff.page.getByLabel('Send the portal invitation now')).toBeChecked();
  await staff.page.getByRole('button', { name: 'Add representative' }).click();
  await expect(staff.page).toHaveURL(/\/staff\/members\/\d+$/);
  await staff.ready();
  await expect(staff.page.getByText(`Sent to ${parent.email}`, { exact: true })).toBeVisible();
  await expect(staff.page.getByText('(parent)')).toBeVisible();
  await staff.check('member-profile-with-representative');
  const [link] = await invitationLinks(staff, parent.email);

  const phone = await openTab('phone');
  await phone.open(link);
  await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${parent.firstName}`);
  await expect(phone.page.getByText(`to see ${child.firstName} ${child.lastName}'s profile`)).toBeVisible();
  await phone.check('accept-invitation-representative', { memberPage: true });
  const password = 'a parent password';
  await phone.page.getByLabel('Password', { exact: true }).fill(password);
  await phone.page.getByLabel('Repeat the password').fill(password);
  await phone.page.getByRole('button', { name: 'Set password and sign in' }).tap();
  await expect(phone.page).toHaveURL(/\/portal$/);
  await phone.ready();
  await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText(`${child.firstName} ${child.lastName}`);
  await phone.check('portal-representative', { memberPage: true });

  await staff.page.reload();
  await staff.ready();
  await expect(staff.page.getByText(`Linked login: ${parent.email}`)).toBeVisible();
});
