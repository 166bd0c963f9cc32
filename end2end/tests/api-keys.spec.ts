// The owner gives another system a key: from Settings to the API keys page (a blank name
// is said on its field), the key shown once with a copy button, the system reading members
// with it, then the key revoked after a question — and refused at once, though the browser
// that asks is signed in (cookies open nothing under /api/v1).
import { expect, test } from './fixtures';
import { staffSignsIn } from './steps';

test('the owner makes an API key, another system uses it, and revoking it stops it at once', async ({ openTab }) => {
  const owner = await openTab('desktop');
  await staffSignsIn(owner);
  await owner.page.getByRole('link', { name: 'Settings' }).click();
  await owner.ready();
  await owner.page.getByRole('link', { name: 'API keys' }).click();
  await expect(owner.page).toHaveURL(/\/staff\/api-keys$/);
  await owner.ready();
  await expect(owner.page.getByRole('heading', { level: 1 })).toHaveText('API keys');

  const form = owner.page.getByRole('region', { name: 'Make a key' });
  await form.getByLabel('Name').fill('   ');
  await form.getByRole('button', { name: 'Make key' }).click();
  await expect(owner.page.locator('#name-error')).toHaveText('Give the key a name, such as the system that will use it.');
  const name = `Records sync ${Date.now()}`;
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('It may').selectOption('read_write');
  await form.getByRole('button', { name: 'Make key' }).click();
  const shown = owner.page.getByLabel('New API key');
  await expect(shown).toHaveValue(/^pk_live_[A-Za-z0-9_-]{43}$/);
  await expect(owner.page.locator('p.notice[role=status]')).toHaveText(
    `Key "${name}" made. Copy it now: it is shown only this once.`,
  );
  await owner.ready();
  await owner.check('api-key-made');
  await owner.page.getByRole('button', { name: 'Copy key' }).click();
  await expect(owner.page.getByRole('button', { name: 'Copied' })).toBeVisible();
  const key = await shown.inputValue();

  const members = () => owner.page.request.get('/api/v1/members?limit=5', { headers: { authorization: `Bearer ${key}` } });
  const listed = await members();
  expect(listed.status()).toBe(200);
  expect((await listed.json()).data.length).toBeGreaterThan(0);

  await owner.page.reload();
  await owner.ready();
  await expect(owner.page.getByLabel('New API key')).toHaveCount(0);
  const card = owner.page.getByRole('article').filter({ hasText: name });
  await expect(card).toContainText(`${key.slice(0, 14)}… · Read and write`);
  await expect(card).not.toContainText('Last used: Never.');
  await card.getByRole('link', { name: 'Revoke key' }).click();
  const question = owner.page.getByRole('dialog', { name: `Revoke the key “${name}”?` });
  await expect(question).toBeVisible();
  await expect(question.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await owner.check('api-key-revoke-question');
  await question.getByRole('button', { name: 'Revoke key' }).click();
  await expect(owner.page.locator('p.notice[role=status]')).toHaveText(
    `Key "${name}" revoked: systems using it are refused from now on.`,
  );
  await expect(owner.page.getByRole('article').filter({ hasText: name })).toContainText('Revoked on');

  const refused = await members();
  expect(refused.status()).toBe(401);
  expect(refused.headers()['content-type']).toBe('application/problem+json');
});
