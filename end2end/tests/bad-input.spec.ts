// Mistakes get a specific message next to the field, keep what was typed, and save nothing.
import { expect, test } from './fixtures';
import { newPerson, signIn, staffSignsIn } from './steps';

for (const scripts of [true, false]) {
  test.describe(scripts ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: scripts });

    test('a wrong password is refused on the sign-in page', async ({ openTab }) => {
      const tab = await openTab('phone');
      await signIn(tab, 'owner@example.org', 'not the password');
      await expect(tab.page.getByRole('alert').filter({ hasText: /password/i }).first()).toBeVisible();
      await expect(tab.page).toHaveURL(/\/login/);
      await expect(tab.page.getByLabel('E-mail address')).toHaveValue('owner@example.org');
      await tab.check(`sign-in-refused-${scripts ? 'js' : 'nojs'}`, { memberPage: true });
    });

    test('a member with a blank name and a bad address is not added', async ({ openTab }) => {
      const person = newPerson('Blank');
      const staff = await openTab('desktop');
      await staffSignsIn(staff);
      await staff.open('/staff/members/new');
      // Values the browser's own checks let through, so the server's messages show.
      await staff.page.getByLabel('First name').fill('   ');
      await staff.page.getByLabel('Last name').fill(person.lastName);
      await staff.page.getByLabel('E-mail address').fill('someone@example');
      await staff.page.getByRole('button', { name: 'Add member' }).click();

      await expect(staff.page.locator('#first_name-error')).toHaveText('Enter a name.');
      await expect(staff.page.locator('#email-error')).toHaveText('Enter an e-mail address like name@example.org.');
      await expect(staff.page.getByLabel('First name')).toHaveAttribute('aria-invalid', 'true');
      await expect(staff.page.getByLabel('First name')).toHaveAttribute('aria-describedby', 'first_name-error');
      await expect(staff.page.getByLabel('Last name')).toHaveValue(person.lastName);
      await expect(staff.page.getByLabel('E-mail address')).toHaveValue('someone@example');
      await staff.check(`add-member-refused-${scripts ? 'js' : 'nojs'}`);

      await staff.open('/staff/members');
      await expect(staff.page.getByText(person.lastName)).toHaveCount(0);
    });
  });
}
