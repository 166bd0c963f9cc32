// A Portico started as deployed, on its empty database: the first visitor, on a phone, is
// sent to the setup page, creates the organisation and its owner, and is signed in as staff.
// The page is gone afterwards. (Runs on the first-run targets only: see playwright.config.ts.)
import { expect, test } from './fixtures';

test('the first visitor sets up the organisation on a phone, once', async ({ openTab }) => {
  const phone = await openTab('phone');
  await phone.open('/login');
  await expect(phone.page).toHaveURL(/\/setup$/);
  await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText('Set up Portico');
  await phone.check('first-run-setup', { memberPage: true });

  const form = phone.page;
  await form.getByLabel('Organisation name').fill('Harbour Tennis Club');
  await form.getByLabel('Sender name').fill('Harbour Tennis Club');
  await form.getByLabel('Sender e-mail address').fill('hello@harbour-tennis.example.org');
  await form.getByLabel('Your name').fill('Morgan Reyes');
  await form.getByLabel('Your e-mail address').fill('morgan@harbour-tennis.example.org');
  // The same checks as the invitation page, as the owner types.
  const password = form.getByLabel('Password', { exact: true });
  await password.fill('short');
  await form.getByLabel('Repeat the password').tap();
  await expect(form.locator('#password-error')).toHaveText('Use at least 8 characters.');
  await password.fill('the owner password');
  await form.getByLabel('Repeat the password').fill('the owner password');
  await form.getByRole('button', { name: 'Create the organisation and sign in' }).tap();

  await expect(phone.page).toHaveURL(/\/staff\/members$/);
  await phone.ready();
  await expect(phone.page.locator('.site-header .who')).toHaveText('Morgan Reyes');

  const gone = await phone.page.goto('/setup');
  expect(gone?.status()).toBe(404);
  await phone.ready();
  await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});
