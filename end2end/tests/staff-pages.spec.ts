// The staff pages around invitations, on a desktop: a message template previewed on the
// invite page, a household invited at once with its report, the portal settings and the
// link requests. Each page gets the checks every page gets (axe, console, screenshots).
import { expect, test } from './fixtures';
import { addMember, newPerson, staffSignsIn } from './steps';

test('staff use templates, households and the portal settings', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const person = newPerson('Tess');
  const templateName = `Welcome ${person.lastName}`;
  await staffSignsIn(staff);

  await staff.page.getByRole('link', { name: 'Templates' }).click();
  await expect(staff.page).toHaveURL(/\/staff\/templates$/);
  await staff.ready();
  await staff.page.getByLabel('Name').fill(templateName);
  // A new template starts from the built-in words; these replace them whole.
  await expect(staff.page.getByLabel('E-mail', { exact: true })).toHaveValue(/^Hello \{first_name\},/);
  await staff.page.getByLabel('Subject').fill('Welcome aboard, {first_name}');
  await staff.page
    .getByLabel('E-mail', { exact: true })
    .fill('Hello {first_name}, {organisation} is glad you are here.\n\n{link}');
  await staff.page.getByRole('button', { name: 'Save template' }).click();
  await expect(staff.page.getByRole('link', { name: templateName })).toBeVisible();
  await staff.check('templates');

  await staff.open('/staff/members');
  await addMember(staff, person);
  const profile = staff.page.url();
  await staff.page.getByRole('link', { name: 'Invite', exact: true }).click();
  await staff.ready();
  await staff.page.getByLabel('Template').selectOption({ label: templateName });
  await staff.page.getByRole('button', { name: 'Preview' }).click();
  await expect(staff.page).toHaveURL(/__draft=1/);
  await staff.ready();
  const preview = staff.page.locator('.preview');
  await expect(preview).toContainText(`Subject: Welcome aboard, ${person.firstName}`);
  // The e-mail rendered, as the member will see it, in its sandboxed frame.
  const email = staff.page.frameLocator('iframe.mail-frame');
  await expect(email.getByText(`Hello ${person.firstName}, `)).toBeVisible();
  await expect(email.getByRole('link', { name: 'Set your password' })).toBeVisible();
  await expect(email.getByText('<p>')).toHaveCount(0);
  await preview.getByText('Text version').click();
  await expect(preview.locator('pre')).toContainText(`Hello ${person.firstName}, `);
  await staff.check('invite-preview');
  await staff.checkEmail('invite-preview-email');

  await staff.page.getByRole('link', { name: 'Groups' }).click();
  await staff.ready();
  await staff.page.getByLabel('Name').fill(`The ${person.lastName} household`);
  await staff.page.getByRole('button', { name: 'Create group' }).click();
  await expect(staff.page).toHaveURL(/\/staff\/groups\/\d+$/);
  await staff.ready();
  await staff.open(new URL(profile).pathname);
  await staff.page.getByLabel('Add to group').selectOption({ label: `The ${person.lastName} household` });
  await staff.page.getByRole('button', { name: 'Add', exact: true }).click();
  await staff.ready();
  await staff.page.getByRole('link', { name: `The ${person.lastName} household` }).click();
  await staff.ready();
  await staff.page.getByRole('button', { name: 'Invite all owners' }).click();
  await expect(staff.page).toHaveURL(/plan=1/);
  await staff.ready();
  await expect(staff.page.getByText('Will invite 1, skip 0.')).toBeVisible();
  await staff.check('household-dry-run');
  await staff.page.getByRole('button', { name: 'Send 1 invitation' }).click();
  await expect(staff.page).toHaveURL(/\/staff\/bulk-sends\/\d+$/);
  await staff.ready();
  await expect(staff.page.getByText('Invited 1, skipped 0.')).toBeVisible();
  await staff.check('household-report');

  await staff.page.getByRole('link', { name: 'Settings' }).click();
  await staff.ready();
  await expect(staff.page.getByLabel('Ask staff to confirm in Link requests')).toBeChecked();
  await staff.check('portal-settings');
  await staff.page.getByRole('link', { name: 'Link requests' }).click();
  await staff.ready();
  await expect(staff.page.getByRole('heading', { level: 1 })).toHaveText('Link requests');
  await staff.check('link-requests');
});
