// The owner tells another system of invitations as they happen: from Settings to the
// webhooks page (no event chosen is said on the form), the endpoint added with its signing
// secret shown once, then its page with its deliveries, disabled after a question and
// enabled again.
import { expect, test } from './fixtures';
import { staffSignsIn } from './steps';

test('the owner adds a webhook endpoint, sees its secret once, and disables it after a question', async ({ openTab }) => {
  const owner = await openTab('desktop');
  await staffSignsIn(owner);
  await owner.page.getByRole('link', { name: 'Settings' }).click();
  await owner.ready();
  await owner.page.getByRole('link', { name: 'Webhooks' }).click();
  await expect(owner.page).toHaveURL(/\/staff\/webhooks$/);
  await owner.ready();
  await expect(owner.page.getByRole('heading', { level: 1 })).toHaveText('Webhooks');

  const form = owner.page.getByRole('region', { name: 'Add an endpoint' });
  const url = `https://hooks.example.org/portico/${Date.now()}`;
  await form.getByLabel('Address').fill(url);
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(owner.page.getByRole('alert')).toContainText('Choose at least one event to send.');
  await form.getByLabel('invitation.created').check();
  await form.getByLabel('invitation.accepted').check();
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  const secret = owner.page.getByLabel('Signing secret');
  await expect(secret).toHaveValue(/^whsec_[A-Za-z0-9+/=]{32}$/);
  await expect(owner.page.locator('p.notice[role=status]')).toHaveText(
    'Endpoint added. Copy its signing secret now: it is shown only this once.',
  );
  await owner.ready();
  await owner.check('webhook-added');

  await owner.page.reload();
  await owner.ready();
  await expect(owner.page.getByLabel('Signing secret')).toHaveCount(0);
  const card = owner.page.getByRole('article').filter({ hasText: url });
  await expect(card).toContainText('invitation.created, invitation.accepted');
  await expect(card).toContainText('Active');
  await card.getByRole('link', { name: url }).click();
  await owner.ready();
  await expect(owner.page.getByRole('heading', { level: 1 })).toHaveText(url);
  await owner.page.getByRole('link', { name: 'Disable endpoint' }).click();
  const question = owner.page.getByRole('dialog', { name: `Disable ${url}?` });
  await expect(question).toBeVisible();
  await owner.check('webhook-disable-question');
  await question.getByRole('button', { name: 'Disable endpoint' }).click();
  await expect(owner.page.locator('p.notice[role=status]')).toHaveText(
    'Endpoint disabled: nothing is sent to it until it is enabled.',
  );
  await expect(owner.page.locator('.status')).toHaveText('Disabled');
  await expect(owner.page.getByText(/^Disabled by staff \(.*\)\.$/)).toBeVisible();
  await owner.ready();
  await owner.check('webhook-disabled');
  await owner.page.getByRole('button', { name: 'Enable endpoint' }).click();
  await expect(owner.page.locator('p.notice[role=status]')).toHaveText(
    'Endpoint enabled: messages being retried are sent at their next try.',
  );
  await expect(owner.page.locator('.status')).toHaveText('Active');
});
