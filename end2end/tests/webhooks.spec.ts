// The owner tells another system of invitations as they happen: from Settings to the
// webhooks page (no event chosen is said on the form), the endpoint added with its signing
// secret shown once, then its page, disabled after a question and enabled again; and an
// endpoint on a receiver here, its delivery followed on its page and sent again. Both endpoints
// are receivers on this machine that answer: tests beside these invite people too.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Tab, test } from './fixtures';
import { addMember, invite, newPerson, staffSignsIn } from './steps';

/**
 * A receiver on this machine (dev mode alone may call loopback) that answers every message
 * 204 and keeps what it heard. Tests running beside one invite people too, and its endpoint
 * hears of them: it stays healthy whatever they do.
 */
async function startReceiver(): Promise<{ url: string; heard: { id: string; body: string }[]; close: () => void }> {
  const heard: { id: string; body: string }[] = [];
  const receiver = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      heard.push({ id: String(request.headers['webhook-id']), body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((ready) => receiver.listen(0, '127.0.0.1', ready));
  const port = (receiver.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hooks/${Date.now()}`, heard, close: () => receiver.close() };
}

test('the owner adds a webhook endpoint, sees its secret once, and disables it after a question', async ({ openTab }) => {
  const receiver = await startReceiver();
  try {
    await addsAndDisables(await openTab('desktop'), receiver.url);
  } finally {
    receiver.close();
  }
});

async function addsAndDisables(owner: Tab, url: string): Promise<void> {
  await staffSignsIn(owner);
  await owner.page.getByRole('link', { name: 'Settings' }).click();
  await owner.ready();
  await owner.page.getByRole('link', { name: 'Webhooks' }).click();
  await expect(owner.page).toHaveURL(/\/staff\/webhooks$/);
  await owner.ready();
  await expect(owner.page.getByRole('heading', { level: 1 })).toHaveText('Webhooks');

  const form = owner.page.getByRole('region', { name: 'Add an endpoint' });
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
  // Tidy: nothing is sent to a receiver that is gone.
  await owner.page.getByRole('link', { name: 'Disable endpoint' }).click();
  await owner.page.getByRole('dialog').getByRole('button', { name: 'Disable endpoint' }).click();
  await expect(owner.page.locator('.status')).toHaveText('Disabled');
}

test('the owner follows each delivery to a receiver and sends one again', async ({ openTab }) => {
  const receiver = await startReceiver();
  const { url, heard } = receiver;
  const about = (email: string) => heard.filter((message) => JSON.parse(message.body).data.email === email);
  try {
    const owner = await openTab('desktop');
    await staffSignsIn(owner);
    await owner.open('/staff/webhooks');
    const form = owner.page.getByRole('region', { name: 'Add an endpoint' });
    await form.getByLabel('Address').fill(url);
    await form.getByLabel('invitation.created').check();
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(owner.page.getByLabel('Signing secret')).toHaveValue(/^whsec_/);

    await owner.open('/staff/members');
    const person = newPerson('Hooked');
    await addMember(owner, person);
    await invite(owner, person);
    await expect.poll(() => about(person.email).length, { timeout: 15_000 }).toBe(1);

    await owner.open('/staff/webhooks');
    await owner.page.getByRole('link', { name: url }).click();
    await owner.ready();
    // Each message says whom it is about: this test's person, among any invited beside it.
    const row = owner.page.getByRole('row').filter({ hasText: 'invitation.created' }).filter({ hasText: person.email });
    await expect(row).toContainText(`${person.firstName} ${person.lastName}`);
    await expect(row).toContainText('Delivered');
    await expect(row).toContainText('Answered 204');
    await owner.check('webhook-log');
    await row.getByRole('button', { name: 'Send again' }).click();
    await expect(owner.page.locator('p.notice[role=status]')).toHaveText('Queued to be sent again now.');
    await expect.poll(() => about(person.email).length, { timeout: 15_000 }).toBe(2);
    // The same message again, under the same id, so a receiver can tell it heard it before.
    const [first, again] = about(person.email);
    expect(again).toEqual(first);

    // Tidy: no later test's invitations go to a receiver that is gone.
    await owner.page.getByRole('link', { name: 'Disable endpoint' }).click();
    await owner.page.getByRole('dialog').getByRole('button', { name: 'Disable endpoint' }).click();
    await expect(owner.page.locator('p.notice[role=status]')).toContainText('Endpoint disabled');
  } finally {
    receiver.close();
  }
});
