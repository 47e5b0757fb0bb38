// The fulfilment work of #12 in the browser: the fulfilment queue, ship and
// deliver, the order's shipment, the subscription's delivery address and
// cancel reason, and the admin catalog list (GET /api/admin/items) with hidden
// and out-of-stock items. Part of `npm run test:browser`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, newPage, signUp, checkoutAndPay, login, screenshot, ADMIN } from './harness.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

// The admin's own API calls, for arranging what a test then looks for in the console.
async function adminApi(method, target, body) {
  const signIn = await fetch(`${stack.base}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  assert.equal(signIn.status, 200);
  const token = (await signIn.json()).data.accessToken;
  const r = await fetch(`${stack.base}${target}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  assert.ok(r.ok, `${method} ${target}: ${r.status} ${await r.clone().text()}`);
  return r.status === 204 ? null : r.json();
}

async function buy(page, kind) {
  const r = await fetch(`${stack.base}/api/items?sort=SALES&size=10`);
  const item = (await r.json()).data.find((i) => i.inStock);
  await page.goto(`/items/${item.itemId}`);
  await page.getByRole('button', { name: kind === 'subscription' ? '정기배송 담기' : '장바구니 담기' }).click();
  await page.getByText(/담았습니다/).waitFor();
  const orderId = await checkoutAndPay(page, kind);
  await page.getByRole('heading', { name: '결제가 완료되었습니다' }).waitFor();
  return { orderId, item };
}

test('an admin ships and delivers an order from the fulfilment queue; the customer sees tracking', async () => {
  const customer = await newPage(stack);
  await signUp(customer, 'shipper');
  const { orderId } = await buy(customer, 'normal');

  const admin = await newPage(stack);
  await login(admin, ADMIN);
  await admin.goto('/admin/orders?status=QUEUE');
  await admin.getByRole('button', { name: `주문 ${orderId} 발송` }).click();
  const form = admin.getByRole('form', { name: `주문 ${orderId} 발송 정보` });
  await form.getByLabel('택배사').selectOption('CJ대한통운');
  await form.getByLabel('운송장 번호').fill('123456789012');
  await form.getByRole('button', { name: '발송 처리' }).click();
  await admin.getByText(`주문 ${orderId} 발송 처리했습니다.`).waitFor();
  await admin.goto('/admin/orders?status=SHIPPED');
  await admin.getByText('123456789012').waitFor();

  await customer.goto(`/my/orders/${orderId}`);
  await customer.getByRole('heading', { name: '배송 조회' }).waitFor();
  await customer.getByText('123456789012').waitFor();
  assert.equal(await customer.getByRole('button', { name: '주문 취소' }).count(), 0); // no cancel once shipped

  await admin.getByRole('button', { name: `주문 ${orderId} 배송 완료` }).click();
  await admin.getByText(`주문 ${orderId} 배송 완료 처리했습니다.`).waitFor();
  await customer.reload();
  await customer.locator('.history').getByText('배송 완료').waitFor();
  await screenshot(admin, 'admin-fulfilment');
  await customer.context().close();
  await admin.context().close();
});

test('a subscriber changes the delivery address and cancels with a reason the admin sees', async () => {
  const page = await newPage(stack);
  await signUp(page, 'mover');
  const { item } = await buy(page, 'subscription');
  await page.goto('/my/subscriptions');
  await page.getByRole('link', { name: item.productName }).click();
  await page.getByRole('heading', { name: '배송지' }).waitFor();
  await page.getByLabel('상세 주소').fill('');
  await page.getByRole('button', { name: '배송지 저장' }).click();
  await page.locator('#f-addr-detail-e').waitFor(); // the API's field error, next to the field
  await page.getByLabel('상세 주소').fill('마포구 월드컵로 10');
  await page.getByRole('button', { name: '배송지 저장' }).click();
  await page.getByText('배송지를 변경했습니다.').waitFor();
  await page.reload();
  assert.equal(await page.getByLabel('상세 주소').inputValue(), '마포구 월드컵로 10');
  await page.getByRole('button', { name: '정기배송 해지' }).click();
  await page.getByLabel('효과를 잘 모르겠어요').check();
  await page.getByRole('button', { name: '해지하기' }).click();
  await page.getByText('해지 사유: 효과를 잘 모르겠어요').waitFor();
  await page.context().close();

  const admin = await newPage(stack);
  await login(admin, ADMIN);
  await admin.goto('/admin/subscriptions?status=CANCELLED&dueOn='); // every due date (the date input cleared)
  const row = admin.getByRole('row').filter({ hasText: item.productName });
  await row.getByText('(효과를 잘 모르겠어요)').waitFor();
  await admin.context().close();
});

test('the admin catalog lists hidden and out-of-stock items', async () => {
  // One item hidden and another sold out, arranged through the admin API.
  const onSale = (await (await fetch(`${stack.base}/api/items?sort=NEWEST&size=10`)).json()).data;
  const [hidden, soldOut] = onSale.filter((i) => i.inStock).slice(-2);
  await adminApi('DELETE', `/api/admin/items/${hidden.itemId}`);
  await adminApi('PATCH', `/api/admin/items/${soldOut.itemId}`, { stock: 0 });

  const page = await newPage(stack);
  await login(page, ADMIN);
  await page.goto('/admin/items?status=HIDDEN');
  await page.getByRole('heading', { name: '상품 관리' }).waitFor();
  assert.equal(await page.getByText('판매 중인 상품만 보여 줍니다').count(), 0);
  const hiddenRow = page.getByRole('row').filter({ hasText: hidden.productName });
  await hiddenRow.getByRole('cell', { name: '숨김', exact: true }).waitFor();
  assert.equal(await page.getByRole('cell', { name: '판매 중', exact: true }).count(), 0); // HIDDEN only
  await page.goto('/admin/items?stock=OUT_OF_STOCK');
  const soldOutRow = page.getByRole('row').filter({ hasText: soldOut.productName });
  await soldOutRow.getByRole('cell', { name: '0', exact: true }).waitFor();
  assert.equal(await page.getByRole('row').filter({ hasText: hidden.productName }).count(), 0); // still in stock
  await page.context().close();
});
