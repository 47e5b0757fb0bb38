// The subscription portal after the billing job ran: charge history with the
// renewal order, and the past-due state after a soft decline at the gateway
// (the simulator forced to answer INSUFFICIENT_BALANCE for the subscription's SID).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, newPage, signUp, checkoutAndPay, expectAccessible, screenshot } from './harness.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

test('renewal charges and their orders, then a past-due charge, in the portal', async () => {
  const page = await newPage(stack);
  await signUp(page, 'renewer');
  const item = (await (await fetch(`${stack.base}/api/items?sort=SALES&size=10`)).json()).data.find((i) => i.inStock);
  await page.goto(`/items/${item.itemId}`);
  await page.getByLabel('배송 주기(일, 정기배송)').fill('7');
  await page.getByRole('button', { name: '정기배송 담기' }).click();
  await page.getByText('정기배송 장바구니에 담았습니다.').waitFor();
  await checkoutAndPay(page, 'subscription');
  await page.getByRole('heading', { name: '결제가 완료되었습니다' }).waitFor();
  await page.goto('/my/subscriptions');
  await page.getByRole('link', { name: item.productName }).click();
  await page.getByText('다음 결제일').waitFor();
  const id = page.url().split('/').pop();

  // The server's clock is the real one: the subscription is made due two days
  // ago (only its schedule is moved), and the job runs for that date.
  const dueOn = (days) => new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Seoul' });
  const moveDue = (date) => stack.sql(`UPDATE subscriptions SET next_payment_date = '${date}', next_attempt_date = '${date}' WHERE id = ${id}`);
  moveDue(dueOn(-2));
  stack.batch(dueOn(-2));
  assert.equal(stack.sql(`SELECT result FROM subscription_charges WHERE subscription_id = ${id}`), 'PAID');
  await page.reload();
  const renewal = page.getByRole('table').getByRole('link', { name: /^주문 \d+$/ });
  await renewal.waitFor();
  await page.getByRole('cell', { name: /결제 완료/ }).waitFor();

  // The next one is declined softly: past due, with what happens next.
  const sid = stack.sql(`SELECT sid FROM subscriptions WHERE id = ${id}`);
  const faults = await fetch(`${stack.simulator}/__faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ forcedErrors: [{ sid, operation: 'subscription', errorCode: -782, methodResultCode: 'INSUFFICIENT_BALANCE', times: 10 }] }),
  });
  assert.equal(faults.status, 200, await faults.text());
  moveDue(dueOn(-1));
  stack.batch(dueOn(-1));
  await page.reload();
  await page.getByRole('alert').getByText(/결제가 승인되지 않았습니다/).waitFor();
  await page.getByText('결제 지연').first().waitFor();
  await page.getByRole('cell', { name: /일시적 거절/ }).waitFor();
  await expectAccessible(page, 'past-due portal');
  await screenshot(page, 'portal-past-due');

  // The renewal order is the customer's own order page.
  await renewal.click();
  await page.waitForURL(/\/my\/orders\/\d+$/);
  await page.getByText('정기배송 주문').waitFor();
  await page.context().close();
});
