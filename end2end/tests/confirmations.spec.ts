// What cannot be undone asks first: with JavaScript in a modal dialog (Cancel focused,
// Escape closes it), without it on the page itself, opened by the button's link; only the
// question's own button acts.
import { expect, test } from './fixtures';
import { staffInviteSomeone } from './steps';

test('revoking an invitation asks first in a dialog, and Cancel keeps it', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const person = await staffInviteSomeone(staff, 'Rhea');
  const name = `${person.firstName} ${person.lastName}`;
  const ask = staff.page.getByRole('link', { name: 'Revoke invitation' });
  const question = staff.page.getByRole('dialog', { name: `Revoke the invitation to ${name}?` });
  await ask.click();
  await expect(question).toBeVisible();
  await expect(question).toContainText(`The link sent to ${person.email} stops working at once.`);
  await expect(question.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expect(staff.page).toHaveURL(/\/staff\/members\/\d+$/);
  await staff.check('confirm-revoke-dialog');

  await staff.page.keyboard.press('Escape');
  await expect(question).toBeHidden();
  await ask.click();
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toBeHidden();
  await expect(staff.page.getByText(`Sent to ${person.email}`, { exact: true })).toBeVisible();

  await ask.click();
  await question.getByRole('button', { name: 'Revoke invitation' }).click();
  await expect(staff.page.locator('p.notice[role=status]')).toHaveText(
    `Invitation to ${name} revoked: its link no longer works.`,
  );
  await staff.ready();
  await expect(staff.page.getByRole('link', { name: 'Revoke invitation' })).toHaveCount(0);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('revoking an invitation asks first on a page of its own', async ({ openTab }) => {
    const staff = await openTab('desktop');
    const person = await staffInviteSomeone(staff, 'Rhea');
    const name = `${person.firstName} ${person.lastName}`;
    const question = staff.page.getByRole('dialog', { name: `Revoke the invitation to ${name}?` });
    await staff.page.getByRole('link', { name: 'Revoke invitation' }).click();
    await expect(staff.page).toHaveURL(/\?confirm=revoke-\d+#confirm-revoke-\d+$/);
    await expect(question).toBeVisible();
    await staff.check('confirm-revoke-nojs');
    await question.getByRole('link', { name: 'Cancel' }).click();
    await expect(staff.page).toHaveURL(/\/staff\/members\/\d+$/);
    await expect(question).toBeHidden();

    await staff.page.getByRole('link', { name: 'Revoke invitation' }).click();
    await question.getByRole('button', { name: 'Revoke invitation' }).click();
    await expect(staff.page).toHaveURL(/\/staff\/members\/\d+$/);
    await expect(staff.page.locator('p.notice[role=status]')).toHaveText(
      `Invitation to ${name} revoked: its link no longer works.`,
    );
  });
});
