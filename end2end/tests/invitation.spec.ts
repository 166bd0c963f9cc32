// Staff invite on a desktop; the member accepts on a phone. With JavaScript, after hydration.
import { expect, test } from './fixtures';
import {
  acceptInvitation,
  addMember,
  invitationLinks,
  invite,
  newPerson,
  staffInviteSomeone,
  staffSignsIn,
} from './steps';

test('staff invite a member on a desktop, who accepts on a phone and sees only their portal', async ({ openTab }) => {
  const person = newPerson('Grace');
  const staff = await openTab('desktop');
  await staffSignsIn(staff, true);
  await staff.check('member-list');
  await addMember(staff, person, true);
  await staff.check('member-profile');
  await invite(staff, person, true);
  await staff.check('member-profile-invited');

  const [link] = await invitationLinks(staff, person.email);
  const phone = await openTab('phone');
  await phone.open(link);
  await phone.check('accept-invitation', { memberPage: true });
  await acceptInvitation(phone, person, 'a long enough password');
  await phone.check('portal', { memberPage: true });
  await expect(phone.page.locator('#main').getByText(person.email)).toBeVisible();

  // A member who types a staff address gets the not-found page, not the staff's data.
  const answer = await phone.page.goto('/staff/members');
  expect(answer?.status()).toBe(404);
  await phone.ready();
  await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(phone.page.getByText(person.lastName)).toHaveCount(0);
  await phone.check('not-found', { memberPage: true });

  // Staff see the linked login on the profile.
  await staff.page.reload();
  await staff.ready();
  await expect(staff.page.getByText(`Linked login: ${person.email}`)).toBeVisible();
});

test('inline validation runs in the browser once the page is hydrated', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const person = await staffInviteSomeone(staff, 'Alan');
  const [link] = await invitationLinks(staff, person.email);

  const phone = await openTab('phone');
  await phone.open(link);
  const password = phone.page.getByLabel('Password', { exact: true });
  const repeat = phone.page.getByLabel('Repeat the password');
  const sent: string[] = [];
  phone.page.on('request', (request) => request.method() === 'POST' && sent.push(request.url()));

  // Leaving a field checks it; nothing is sent.
  await password.tap();
  await password.fill('short');
  await repeat.tap();
  await expect(phone.page.locator('#password-error')).toHaveText('Use at least 8 characters.');
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  // Once a mistake shows, it goes away as it is fixed.
  await password.fill('a long enough password');
  await expect(phone.page.locator('#password-error')).toBeEmpty();
  await expect(password).not.toHaveAttribute('aria-invalid');

  await repeat.fill('a long enough passwort');
  await password.tap();
  await expect(phone.page.locator('#confirm_password-error')).toHaveText('The two passwords are not the same.');
  await phone.check('accept-invitation-mistake', { memberPage: true });
  await repeat.fill('a long enough password');
  await expect(phone.page.locator('#confirm_password-error')).toBeEmpty();
  expect(sent, 'inline checks send nothing').toEqual([]);

  // A mistake only the server knows comes back beside its field; typing another password
  // takes that message away: it was about the one before.
  await password.fill('password');
  await repeat.fill('password');
  await phone.page.getByRole('button', { name: 'Set password and sign in' }).tap();
  await expect(phone.page.locator('#password-error')).toContainText('one of the most common passwords');
  // The message comes back on a new page, shown before its island hydrates: typing before
  // then reaches no island, and the message would stay.
  await phone.ready();
  await password.fill('a long enough password');
  await expect(phone.page.locator('#password-error')).toBeEmpty();
  await repeat.fill('a long enough password');

  await phone.page.getByRole('button', { name: 'Set password and sign in' }).tap();
  await expect(phone.page).toHaveURL(/\/portal$/);
});

test('resending makes the old link show the invalid-link page; the new one works', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const person = await staffInviteSomeone(staff, 'Hedy');
  await invitationLinks(staff, person.email, 1);
  await staff.page.getByRole('button', { name: 'Resend invitation' }).click();
  await staff.ready();
  await expect(staff.page.locator('p.notice[role=status]')).toHaveText(
    `A new invitation link was sent to ${person.email}; the one sent before no longer works.`,
  );
  await staff.check('resent');
  const [newest, old] = await invitationLinks(staff, person.email, 2);

  const phone = await openTab('phone');
  const answer = await phone.page.goto(old);
  expect(answer?.status()).toBe(404);
  await phone.ready();
  await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText('This link is no longer valid');
  await phone.check('invalid-link', { memberPage: true });

  await phone.open(newest);
  await acceptInvitation(phone, person, 'another long password');
});
