// The organisation's own face: the owner uploads a logo on its page (a non-image is refused
// beside the field), and members meet it on the invitation page and their portal, on a
// phone. Each page gets the usual checks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { invitationLinks, staffInviteSomeone } from './steps';

const LOGO = readFileSync(join(__dirname, 'files', 'logo.png'));

test('the logo the owner uploads heads the invitation page and the portal', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const person = await staffInviteSomeone(staff, 'Lola');
  await staff.open('/staff/settings');
  await staff.page.getByRole('link', { name: 'Change the logo' }).click();
  await expect(staff.page).toHaveURL(/\/staff\/logo$/);
  await staff.ready();

  // Not an image: refused beside the field (the form comes back to its page), nothing kept.
  const picker = staff.page.getByLabel('Upload a logo');
  await picker.setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
  await staff.page.getByRole('button', { name: 'Upload logo' }).click();
  await expect(staff.page.locator('#logo-error')).toHaveText('The logo must be a PNG, JPEG or WebP image.');
  await staff.ready();
  await staff.check('logo-refused');

  await staff.page.getByLabel('Upload a logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: LOGO });
  await staff.page.getByRole('button', { name: 'Upload logo' }).click();
  await expect(staff.page).toHaveURL(/\/staff\/logo$/);
  await expect(staff.page.locator('p.notice[role=status]')).toContainText('Logo saved');
  await expect(staff.page.getByRole('img', { name: 'Your logo as members see it' })).toBeVisible();
  await staff.ready();
  await staff.check('logo');

  const [link] = await invitationLinks(staff, person.email);
  const phone = await openTab('phone');
  await phone.open(link);
  const logo = phone.page.locator('img.welcome-logo');
  await expect(logo).toBeVisible();
  expect(await logo.evaluate((img) => (img as HTMLImageElement).naturalWidth), 'the image loads').toBe(96);
  await phone.check('invitation-with-logo', { memberPage: true });
  await phone.page.getByLabel('Password', { exact: true }).fill('lola’s own password');
  await phone.page.getByLabel('Repeat the password').fill('lola’s own password');
  await phone.page.getByRole('button', { name: 'Set password and sign in' }).tap();
  await expect(phone.page).toHaveURL(/\/portal$/);
  await phone.ready();
  await expect(phone.page.locator('header img.brand-logo')).toBeVisible();
  await phone.check('portal-with-logo', { memberPage: true });
});
