// On a phone the staff pages fold into a menu (a row at a desk), opened with a tap, with or
// without JavaScript; the current page is marked in it.
import { expect, test } from './fixtures';
import { staffSignsIn } from './steps';

for (const scripts of [true, false]) {
  test.describe(scripts ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: scripts });

    test('on a phone the staff pages are a menu', async ({ openTab }) => {
      const staff = await openTab('phone');
      await staffSignsIn(staff);
      const settings = staff.page.getByRole('link', { name: 'Settings' });
      await expect(settings).toBeHidden();
      await staff.page.locator('summary', { hasText: 'Menu' }).click();
      await expect(settings).toBeVisible();
      await staff.check(`staff-menu-open-${scripts ? 'js' : 'nojs'}`);
      await settings.click();
      await expect(staff.page).toHaveURL(/\/staff\/settings$/);
      await staff.ready();
      await staff.page.locator('summary', { hasText: 'Menu' }).click();
      await expect(staff.page.getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
    });
  });
}
