// A round from the member list, on a desktop: staff tick members (or everyone on the page),
// see the dry run, send, and the round's page follows its e-mails by itself.
import { expect, test } from './fixtures';
import { addMember, invitationLinks, newPerson, staffSignsIn } from './steps';

test('staff select members, see the dry run, send, and watch the progress', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const first = newPerson('Rowan');
  const tag = first.lastName;
  const second = { ...newPerson('Robin'), lastName: tag };
  await staffSignsIn(staff);
  await addMember(staff, first);
  await staff.open('/staff/members');
  await addMember(staff, second);

  await staff.open(`/staff/members?q=${encodeURIComponent(tag)}`);
  const rows = staff.page.locator('table.members tbody tr');
  await expect(rows).toHaveCount(2);
  // One tick selects everyone on the page.
  await staff.page.getByLabel('Select everyone on this page').check();
  await expect(staff.page.getByLabel(`Select ${first.firstName} ${tag}`)).toBeChecked();
  await expect(staff.page.getByLabel(`Select ${second.firstName} ${tag}`)).toBeChecked();
  await staff.check('member-list-selected');
  await staff.page.getByRole('button', { name: 'Invite selected' }).click();
  await expect(staff.page).toHaveURL(/\/staff\/invite-round\?/);
  await staff.ready();
  await expect(staff.page.getByText('Will invite 2, skip 0.')).toBeVisible();
  await expect(staff.page.getByText(`Will invite: ${first.firstName} ${tag}`)).toBeVisible();
  await staff.check('round-dry-run');

  await staff.page.getByRole('button', { name: 'Send 2 invitations' }).click();
  await expect(staff.page).toHaveURL(/\/staff\/bulk-sends\/\d+$/);
  await staff.ready();
  await expect(staff.page.getByText('Invited 2, skipped 0.')).toBeVisible();
  await staff.page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  // The outbox sends after the answer; the page asks again until both are out.
  await expect(staff.page.getByText('E-mails: 2 sent, 0 waiting to be sent, 0 could not be delivered.')).toBeVisible({
    timeout: 20_000,
  });
  await expect(staff.page.locator('progress')).toHaveAttribute('value', '2');
  expect(await staff.page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await staff.check('round-report');

  await staff.page.getByRole('link', { name: '← Bulk sends' }).click();
  await staff.ready();
  await expect(staff.page.getByRole('cell', { name: '2 selected members' }).first()).toBeVisible();
});

test('the not-yet-registered screen sends one person and offers Send all', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const person = newPerson('Uma');
  await staffSignsIn(staff);
  await addMember(staff, person);
  await staff.open(`/staff/not-registered?q=${encodeURIComponent(person.lastName)}`);
  await expect(staff.page.getByRole('heading', { level: 1 })).toHaveText('Not yet registered');
  await expect(staff.page.getByRole('cell', { name: person.email })).toBeVisible();
  await staff.check('not-registered');
  await staff.page.getByRole('link', { name: 'Send all…' }).click();
  await staff.ready();
  await expect(staff.page.getByText('Will invite 1, skip 0.')).toBeVisible();
  await expect(staff.page.getByRole('heading', { level: 1 })).toContainText('Invite: 1 member — not yet registered, matching');

  // "Send" opens that person's invite form; once sent, the screen offers a resend instead.
  await staff.page.goBack();
  await staff.ready();
  const name = `${person.firstName} ${person.lastName}`;
  await staff.page.getByRole('link', { name: `Send to ${name}` }).click();
  await expect(staff.page).toHaveURL(/\/invite$/);
  await staff.ready();
  await expect(staff.page.getByLabel('E-mail address')).toHaveValue(person.email);
  await staff.page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(staff.page.getByText(`Sent to ${person.email}`, { exact: true })).toBeVisible();
  expect(await invitationLinks(staff, person.email)).toHaveLength(1);
  await staff.open(`/staff/not-registered?q=${encodeURIComponent(person.lastName)}`);
  await expect(staff.page.getByRole('button', { name: `Resend to ${name}` })).toBeVisible();
  await expect(staff.page.getByRole('link', { name: `Send to ${name}` })).toHaveCount(0);
});

test('"Invite selected" with nothing ticked is refused, never widened to everyone', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const person = newPerson('Nadia');
  await staffSignsIn(staff);
  await addMember(staff, person);
  await staff.open(`/staff/members?q=${encodeURIComponent(person.lastName)}&status=not-invited`);
  await expect(staff.page.locator('table.members tbody tr')).toHaveCount(1);
  staff.expectRefusal(422, '/staff/invite-round');
  await staff.page.getByRole('button', { name: 'Invite selected' }).click();
  await expect(staff.page).toHaveURL(/\/staff\/invite-round\?/);
  await staff.ready();
  await expect(staff.page.getByRole('alert')).toContainText('No member is ticked.');
  await expect(staff.page.getByText(/Will invite/)).toHaveCount(0);
  await expect(staff.page.getByRole('button', { name: /^Send/ })).toHaveCount(0);
  await staff.check('round-nothing-ticked');
  await staff.page.getByRole('link', { name: 'Back to the member list' }).click();
  await staff.ready();
  await expect(staff.page).toHaveURL(/\/staff\/members\?q=.*&status=not-invited$/);
  await expect(staff.page.locator('table.members tbody tr')).toHaveCount(1);
});
