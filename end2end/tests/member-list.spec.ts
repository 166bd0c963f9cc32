// The member list, on a desktop: results follow the search box as staff type, without the
// page reloading; the address keeps the search, so a filter link, a reload and the back
// button all keep it.
import { expect, test } from './fixtures';
import { addMember, newPerson, staffSignsIn } from './steps';

test('staff search members as they type, then filter and go back', async ({ openTab }) => {
  const staff = await openTab('desktop');
  const saoirse = newPerson('Saoirse');
  const tag = saoirse.lastName; // "Tester <unique tag>"
  // Her e-mail is plain ASCII: a browser's e-mail field refuses an accented one.
  const siobhan = { ...newPerson('Siobhán'), lastName: tag, email: saoirse.email.replace('saoirse', 'siobhan') };
  await staffSignsIn(staff);
  await addMember(staff, saoirse);
  await staff.open('/staff/members');
  await addMember(staff, siobhan);

  await staff.open('/staff/members');
  // Set in this page: a reload or a navigation would lose it.
  await staff.page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  const search = staff.page.getByLabel('Search by name or e-mail');
  const rows = staff.page.locator('table.members tbody tr');

  await search.pressSequentially(tag.toLowerCase(), { delay: 20 });
  await expect(staff.page.getByText('2 members found.')).toBeVisible();
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(`Saoirse ${tag}`);
  await expect(rows.nth(1)).toContainText(`Siobhán ${tag}`);
  await expect(staff.page).toHaveURL(/\/staff\/members\?q=tester/);

  // Accents and case do not matter: "siobhan" finds Siobhán.
  await search.fill('');
  await search.pressSequentially('SIOBHAN', { delay: 20 });
  await expect(staff.page.getByText('1 member found.')).toBeVisible();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`Siobhán ${tag}`);
  await search.fill(tag);
  await expect(staff.page.getByText('2 members found.')).toBeVisible();
  expect(await staff.page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await staff.check('member-search');

  // The filter links carry the search; the back button returns to the search alone.
  await staff.page.getByRole('link', { name: 'Not invited (2)' }).click();
  await expect(staff.page).toHaveURL(/status=not-invited/);
  await staff.ready();
  await expect(staff.page.getByRole('link', { name: 'Not invited (2)' })).toHaveAttribute('aria-current', 'true');
  await expect(search).toHaveValue(tag);
  await expect(rows).toHaveCount(2);
  await staff.page.getByRole('link', { name: 'Portal active (0)' }).click();
  await staff.ready();
  await expect(staff.page.getByText('No members match.')).toBeVisible();
  await staff.page.goBack();
  await staff.ready();
  await expect(staff.page).toHaveURL(/status=not-invited/);
  await expect(rows).toHaveCount(2);
  await staff.page.reload();
  await staff.ready();
  await expect(search).toHaveValue(tag);
  await expect(rows).toHaveCount(2);
});
