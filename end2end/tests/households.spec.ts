// Households without duplicates, on a desktop: a mother added to her second child is asked
// whether she is the person already on the first child's profile; the group's page finds and
// adds both children; "Invite all owners" writes to her once, naming both profiles; and a
// selection on the member list goes into a group. Each page gets the usual checks.
import { expect, test } from './fixtures';
import { addMember, newPerson, staffSignsIn } from './steps';

test('one mother of two children is one person, invited once for both', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const max = newPerson('Max');
  const mia = { ...newPerson('Mia'), lastName: max.lastName };
  const anna = `anna.${max.email}`;
  await staffSignsIn(staff);
  await addMember(staff, max);
  const maxProfile = new URL(staff.page.url()).pathname;
  await staff.open('/staff/members');
  await addMember(staff, mia);
  const miaProfile = new URL(staff.page.url()).pathname;

  const addAnna = async (profile: string) => {
    await staff.open(`${profile}/contacts/new`);
    await staff.page.getByLabel(/^E-mail address/).fill(anna);
    await staff.page.getByLabel('First name').fill('Anna');
    await staff.page.getByLabel('Last name').fill(max.lastName);
    await staff.page.getByLabel('Relation').fill('mother');
    const sendNow = staff.page.getByLabel('Send the portal invitation now');
    if (await sendNow.isChecked()) await sendNow.uncheck();
    await staff.page.getByRole('button', { name: 'Add representative' }).click();
  };
  await addAnna(maxProfile);
  await expect(staff.page.locator('p.notice[role=status]')).toHaveText(`Anna ${max.lastName} added.`);
  await addAnna(miaProfile);
  // Asked, with everything typed kept; nothing is added until answered.
  await expect(staff.page.getByRole('group', { name: 'The same person?' })).toBeVisible();
  await expect(staff.page.getByText(`Anna ${max.lastName} has this e-mail address on Max ${max.lastName}'s profile`).first()).toBeVisible();
  await expect(staff.page.getByLabel(/^E-mail address/)).toHaveValue(anna);
  await staff.ready();
  await staff.check('same-person-question');
  await staff.page.getByLabel('Yes, the same person: one login for both profiles').check();
  await staff.page.getByRole('button', { name: 'Add representative' }).click();
  await expect(staff.page).toHaveURL(new RegExp(`${miaProfile}$`));
  await expect(staff.page.locator('p.notice[role=status]')).toHaveText(`Anna ${max.lastName} added.`);

  // The group's page finds both children by name and adds them, one "Add" each.
  await staff.open('/staff/groups');
  await staff.page.getByLabel('Name').fill(`The ${max.lastName} household`);
  await staff.page.getByRole('button', { name: 'Create group' }).click();
  await expect(staff.page).toHaveURL(/\/staff\/groups\/\d+$/);
  await staff.ready();
  for (const child of [max, mia]) {
    await staff.page.getByLabel('Find a member by name or e-mail').fill(max.lastName);
    await staff.page.getByRole('button', { name: 'Find' }).click();
    await staff.ready();
    await staff.page.getByRole('button', { name: `Add ${child.firstName} ${child.lastName}` }).click();
    await expect(staff.page.locator('p.notice[role=status]')).toHaveText(`1 profile added to “The ${max.lastName} household”.`);
    await staff.ready();
  }
  await staff.check('group-with-both-children');

  await staff.page.getByRole('button', { name: 'Invite all owners' }).click();
  await expect(staff.page).toHaveURL(/plan=1/);
  await staff.ready();
  // The two children (each with an address of their own) and their mother, once.
  await expect(staff.page.getByText('Will invite 3, skip 1.')).toBeVisible();
  await expect(staff.page.getByText(`The same person as Anna ${max.lastName} (for Max ${max.lastName})`)).toBeVisible();
  await staff.check('same-person-dry-run');
  await staff.checkEmail('same-person-email');
});

test('members ticked on the list go into a group', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const ada = newPerson('Ada');
  await staffSignsIn(staff);
  await addMember(staff, ada);
  await staff.open('/staff/groups');
  await staff.page.getByLabel('Name').fill(`Group of ${ada.lastName}`);
  await staff.page.getByRole('button', { name: 'Create group' }).click();
  await expect(staff.page).toHaveURL(/\/staff\/groups\/\d+$/);
  await staff.open(`/staff/members?q=${encodeURIComponent(ada.lastName)}`);
  await staff.page.getByLabel(`Select ${ada.firstName} ${ada.lastName}`).check();
  await staff.page.getByRole('button', { name: 'Add selected to a group' }).click();
  await expect(staff.page).toHaveURL(/\/staff\/add-to-group\?/);
  await staff.ready();
  await expect(staff.page.getByRole('heading', { level: 1 })).toHaveText('Add 1 member to a group');
  await staff.check('add-selected-to-group');
  await staff.page.getByLabel('Group').selectOption({ label: `Group of ${ada.lastName}` });
  await staff.page.getByRole('button', { name: 'Add to the group' }).click();
  await expect(staff.page).toHaveURL(/\/staff\/groups\/\d+$/);
  await expect(staff.page.locator('p.notice[role=status]')).toHaveText(`1 profile added to “Group of ${ada.lastName}”.`);
  await expect(staff.page.getByRole('heading', { name: `${ada.firstName} ${ada.lastName}` })).toBeVisible();
});
