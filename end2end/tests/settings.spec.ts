// The owner changes the organisation's settings on a desktop: the form says what is wrong
// before anything is saved, and the timeline below says what changed and who changed it.
import { expect, test } from './fixtures';
import { staffSignsIn } from './steps';

test('the owner changes how long invitation links work and sees it on the timeline', async ({ openTab }) => {
  const staff = await openTab('desktop');
  await staffSignsIn(staff);
  await staff.page.getByRole('link', { name: 'Settings' }).click();
  await expect(staff.page).toHaveURL(/\/staff\/settings$/);
  await staff.ready();
  await expect(staff.page.getByRole('heading', { level: 1 })).toHaveText('Settings');
  await staff.check('settings');

  const days = staff.page.getByLabel('Invitation links work for (days)');
  const was = await days.inputValue();
  const next = was === '21' ? '22' : '21';
  await days.fill('91');
  await staff.page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(staff.page.locator('#validity_days-error')).toHaveText('Give a number of days from 1 to 90.');
  await staff.check('settings-mistake');

  await days.fill(next);
  await staff.page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(staff.page.locator('#validity_days-error')).toBeEmpty();
  await staff.page.reload();
  await staff.ready();
  await expect(staff.page.getByLabel('Invitation links work for (days)')).toHaveValue(next);
  await expect(
    staff.page.locator('.timeline li').first(),
  ).toContainText(`invitation links work for (days) “${was}” → “${next}”, by `);
});
