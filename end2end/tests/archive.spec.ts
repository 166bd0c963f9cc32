// A member who left is archived after a question, and one archived by mistake is restored
// from "Archived members", as they were.
import { expect, test } from './fixtures';
import { addMember, newPerson, staffSignsIn } from './steps';

test('archiving asks first, and an archived member is restored from the archived list', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const person = newPerson('Wren');
  const name = `${person.firstName} ${person.lastName}`;
  await staffSignsIn(staff);
  await addMember(staff, person);
  const profile = staff.page.url();

  await staff.page.getByRole('link', { name: 'Archive member' }).click();
  const question = staff.page.getByRole('dialog', { name: `Archive ${name}?` });
  await expect(question).toContainText('can be restored');
  await question.getByRole('button', { name: 'Archive member' }).click();
  await expect(staff.page).toHaveURL(/\/staff\/members$/);
  await expect(staff.page.locator('p.notice[role=status]')).toHaveText(`${name} archived.`);
  await staff.ready();
  await expect(staff.page.getByRole('link', { name })).toHaveCount(0);

  await staff.page.getByRole('link', { name: 'Archived', exact: true }).click();
  await expect(staff.page).toHaveURL(/\/staff\/members\/archived$/);
  await expect(staff.page.getByRole('heading', { level: 1 })).toHaveText('Archived members');
  await staff.ready();
  const row = staff.page.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText(person.email);
  await staff.check('archived-members');

  await row.getByRole('button', { name: `Restore ${name}` }).click();
  await expect(staff.page).toHaveURL(profile);
  await expect(staff.page.locator('p.notice[role=status]')).toHaveText(`${name} restored.`);
  await expect(staff.page.getByText(`${name} restored from the archive`)).toBeVisible();
  await staff.ready();
  await staff.open('/staff/members/archived');
  await expect(staff.page.getByRole('row').filter({ hasText: name })).toHaveCount(0);
});
