// The owner brings in members from a spreadsheet at a desk: from Settings to the import page,
// the file uploaded, two columns the guess could not place set by hand, the dry run (a row
// with a bad e-mail refused with its line), the import after a question, its report, and
// "Invite the people just imported" as a round with its own dry run, then sent.
import { expect, test } from './fixtures';
import { staffSignsIn } from './steps';

test('the owner imports members from a spreadsheet and invites them', async ({ openTab }) => {
  const owner = await openTab('desktop');
  await staffSignsIn(owner);
  await owner.page.getByRole('link', { name: 'Settings' }).click();
  await owner.ready();
  await owner.page.getByRole('link', { name: 'Import members' }).click();
  await expect(owner.page).toHaveURL(/\/staff\/imports$/);
  await owner.ready();

  const run = Date.now();
  const file = [
    'Ref;Given;Family;Email',
    `E-${run}-1;Nora;Import;nora.${run}@example.org`,
    `E-${run}-2;Otto;Import;otto.${run}@example.org`,
    `E-${run}-3;Pia;Import;pia.${run}@example.org`,
    `E-${run}-4;Quin;Import;not an address`,
  ].join('\r\n');
  await owner.page.getByLabel('CSV file').setInputFiles({ name: 'pupils.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
  await owner.page.getByRole('button', { name: 'Upload and check' }).click();
  await expect(owner.page).toHaveURL(/\/staff\/imports\/\d+$/);
  await owner.ready();
  await expect(owner.page.getByRole('heading', { level: 1 })).toHaveText('Import of “pupils.csv”');
  await expect(owner.page.getByRole('alert')).toContainText("Choose the columns with the members' names");
  await expect(owner.page.getByLabel('Ref')).toHaveValue('external_id');
  await owner.check('import-columns');

  await owner.page.getByLabel('Given').selectOption('first_name');
  await owner.page.getByLabel('Family').selectOption('last_name');
  await owner.page.getByRole('button', { name: 'Save columns' }).click();
  await expect(owner.page.locator('p.notice[role=status]')).toHaveText('Columns saved. The dry run below uses them.');
  await owner.ready();
  await expect(owner.page.getByLabel('Given')).toHaveValue('first_name');
  const counts = owner.page.locator('dl.counts');
  await expect(counts).toContainText('To add3');
  await expect(counts).toContainText('Refused1');
  await expect(owner.page.locator('.refused-rows')).toContainText('Line 5: E-mail not valid');
  await owner.check('import-dry-run');

  await owner.page.getByRole('link', { name: 'Import', exact: true }).click();
  const question = owner.page.getByRole('dialog', { name: 'Import 4 rows from “pupils.csv”?' });
  await expect(question).toBeVisible();
  await expect(question).toContainText('3 members are added and 0 updated now');
  await owner.check('import-question');
  await question.getByRole('button', { name: 'Import' }).click();
  await expect(owner.page.locator('p.notice[role=status]')).toContainText('Import done');
  await owner.ready();
  await expect(counts).toContainText('Added3');
  await expect(owner.page.getByRole('progressbar', { name: 'Rows imported' })).toHaveAttribute('value', '4');
  await owner.check('import-report');

  await owner.page.getByRole('link', { name: 'Invite the people just imported' }).click();
  await expect(owner.page).toHaveURL(/\/staff\/invite-round\?import=\d+$/);
  await owner.ready();
  await expect(owner.page.getByRole('heading', { level: 1 })).toHaveText('Invite: 3 members of the import');
  await owner.page.getByRole('button', { name: 'Send 3 invitations' }).click();
  await expect(owner.page).toHaveURL(/\/staff\/bulk-sends\/\d+$/);
  await expect(owner.page.getByText('Invited 3, skipped 0.')).toBeVisible();
});
