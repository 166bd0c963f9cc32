// The owner changes the organisation's settings on a desktop: the whole page is one form,
// so what is changed in one part is never lost by saving another; a mistake comes back with
// everything as typed; a save says so, and the timeline below says what changed and who.
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

  await expect(staff.page.getByRole('button', { name: /^Save/ })).toHaveCount(1);
  const days = staff.page.getByLabel('Invitation links work for (days)');
  const sender = staff.page.getByLabel('Sender name');
  const wasSender = await sender.inputValue();
  const was = await days.inputValue();
  const next = was === '21' ? '22' : '21';
  await sender.fill('Front Desk');
  await days.fill('91');
  await staff.page.getByRole('button', { name: 'Save settings' }).click();
  await expect(staff.page.locator('#validity_days-error')).toHaveText('Give a number of days from 1 to 90.');
  await expect(sender).toHaveValue('Front Desk');
  await expect(days).toHaveValue('91');
  await staff.check('settings-mistake');

  await days.fill(next);
  await staff.page.getByRole('button', { name: 'Save settings' }).click();
  await expect(staff.page.locator('p.notice[role=status]')).toHaveText('Settings saved.');
  await expect(staff.page.locator('#validity_days-error')).toBeEmpty();
  await staff.check('settings-saved');
  await staff.page.reload();
  await staff.ready();
  await expect(staff.page.locator('p.notice[role=status]')).toHaveCount(0);
  await expect(days).toHaveValue(next);
  await expect(sender).toHaveValue('Front Desk');
  await expect(
    staff.page.locator('.timeline li').first(),
  ).toContainText(`invitation links work for (days) “${was}” → “${next}”, by `);

  await sender.fill(wasSender);
  await staff.page.getByRole('button', { name: 'Save settings' }).click();
  await expect(staff.page.locator('p.notice[role=status]')).toHaveText('Settings saved.');
});
