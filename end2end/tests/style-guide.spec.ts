// The design system on one page (dev mode): every component at desktop and phone size, axe
// clean, and the confirmation opened as the pages open it.
import { expect, test } from './fixtures';

test('the style guide shows every component, and its question opens as a dialog', async ({ openTab }) => {
  const tab = await openTab('desktop');
  await tab.open('/dev/style-guide');
  await expect(tab.page.getByRole('heading', { level: 1 })).toHaveText('Style guide');
  // One badge a portal status the member list filters by.
  await expect(tab.page.locator('p.actions .status')).toHaveCount(10);
  await expect(tab.page.locator('p.actions .status', { hasText: 'E-mail bounced' })).toHaveCount(1);
  await tab.check('style-guide');
  await tab.page.getByRole('link', { name: 'Remove' }).click();
  const question = tab.page.getByRole('dialog', { name: 'Remove Anna Keller from this profile?' });
  await expect(question).toBeVisible();
  await tab.check('style-guide-confirmation');
  await tab.page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
});
