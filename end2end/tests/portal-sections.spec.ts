// What staff keep for a member's portal: on a desktop, staff add a membership, a booking and
// a file to the profile (a file too large is refused by its field first); on a phone, the
// member sees them on the portal and downloads the file.
import { expect, test } from './fixtures';
import { acceptInvitation, invitationLinks, staffInviteSomeone } from './steps';

test('staff add a membership, a booking and a file; the member sees them on a phone', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const member = await staffInviteSomeone(staff, 'Una');
  const [link] = await invitationLinks(staff, member.email);
  const phone = await openTab('phone');
  await phone.open(link);
  await acceptInvitation(phone, member, 'una’s own password');

  const memberships = staff.page.getByRole('region', { name: 'Memberships' });
  await memberships.getByText('Add a membership').click();
  await memberships.getByLabel('Programme').fill('Karate');
  await memberships.getByLabel('Level').fill('Blue belt');
  await memberships.getByRole('button', { name: 'Add membership' }).click();
  await expect(staff.page.getByRole('region', { name: 'Memberships' }).getByText('Karate: Blue belt')).toBeVisible();
  await staff.ready();

  const bookings = staff.page.getByRole('region', { name: 'Upcoming bookings' });
  await bookings.getByText('Add a booking').click();
  await bookings.getByLabel('What').fill('Grading');
  await bookings.getByLabel('Starts').fill('2099-01-15T17:30');
  await bookings.getByLabel('Where').fill('Main hall');
  await bookings.getByRole('button', { name: 'Add booking' }).click();
  await expect(
    staff.page.getByRole('region', { name: 'Upcoming bookings' }).getByText('Grading, 15 January 2099, 17:30, Main hall'),
  ).toBeVisible();
  await staff.ready();

  const files = staff.page.getByRole('region', { name: 'Files' });
  const tooLarge = { name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(1_100_000, 7) };
  await files.getByLabel('Add a file').setInputFiles(tooLarge);
  await files.getByRole('button', { name: 'Upload' }).click();
  await expect(staff.page.getByRole('region', { name: 'Files' }).getByRole('alert').last()).toContainText(
    'That file is too large',
  );
  await staff.ready();
  await staff.check('profile-portal-sections');
  const certificate = { name: 'Blue belt certificate.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 una') };
  await staff.page.getByRole('region', { name: 'Files' }).getByLabel('Add a file').setInputFiles(certificate);
  await staff.page.getByLabel('Share it with the member').check();
  await staff.page.getByRole('region', { name: 'Files' }).getByRole('button', { name: 'Upload' }).click();
  await expect(staff.page.getByText('Shared with the member.')).toBeVisible();
  await expect(staff.page).toHaveURL(/\/staff\/members\/\d+$/);

  await phone.page.reload();
  await phone.ready();
  await expect(phone.page.getByText('Karate: Blue belt')).toBeVisible();
  await expect(phone.page.getByText('Grading, 15 January 2099, 17:30, Main hall')).toBeVisible();
  await phone.check('portal-sections', { memberPage: true });
  const download = phone.page.waitForEvent('download');
  await phone.page.getByRole('link', { name: 'Blue belt certificate.pdf' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('Blue belt certificate.pdf');
});
