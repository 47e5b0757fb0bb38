// The admin console against the real server: refund a paid order, replay a
// dead letter, subscriptions due on a date, billing runs, live operations charts.
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

async function paidOrder() {
  const page = await newPage(stack);
  await signUp(page, 'refundee');
  const r = await fetch(`${stack.base}/api/items?sort=SALES&size=10`);
  const item = (await r.json()).data.find((i) => i.inStock);
  await page.goto(`/items/${item.itemId}`);
  await page.getByRole('button', { name: '장바구니 담기' }).click();
  await page.getByText('장바구니에 담았습니다.').waitFor();
  const orderId = await checkoutAndPay(page, 'normal');
  await page.getByRole('heading', { name: '결제가 완료되었습니다' }).waitFor();
  await page.context().close();
  return orderId;
}

test('an admin refunds a paid order and replays a dead letter', async () => {
  const orderId = await paidOrder();
  // A dead letter as the outbox leaves one after its last retry (a notification).
  const now = Date.now();
  stack.sql(
    `INSERT INTO outbox_events(event_type, aggregate_id, payload, status, attempts, next_attempt_at, last_error, created_at) ` +
      `VALUES ('notification.send', '1', '{"userId":1,"kind":"TEST"}', 'DEAD', 8, ${now}, 'webhook answered 503', ${now})`,
  );
  const page = await newPage(stack);
  await login(page, ADMIN);
  await page.getByRole('link', { name: '관리자' }).click();
  await page.getByRole('link', { name: '주문·배송' }).first().click();
  await page.getByLabel('상태').selectOption('PAID');
  await page.getByRole('button', { name: `주문 ${orderId} 환불` }).click();
  await page.getByText(`주문 ${orderId} 환불했습니다.`).waitFor();
  await page.getByLabel('상태').selectOption('REFUNDED');
  await page.getByRole('cell', { name: new RegExp(`^${orderId}`) }).waitFor();

  await page.getByRole('link', { name: '실패 이벤트' }).click();
  const id = stack.sql(`SELECT id FROM outbox_events WHERE status = 'DEAD' ORDER BY id DESC LIMIT 1`);
  await page.getByRole('button', { name: `이벤트 ${id} 재처리` }).click();
  await page.getByText(`이벤트 ${id}를 다시 처리 대기열에 넣었습니다.`).waitFor();
  assert.notEqual(stack.sql(`SELECT status FROM outbox_events WHERE id = ${id}`), 'DEAD');
  await screenshot(page, 'admin-journey');
  await page.context().close();
});

test('subscriptions due on a date, billing runs and the live operations charts', async () => {
  const page = await newPage(stack);
  await login(page, ADMIN);
  await page.goto('/admin/subscriptions?dueOn=2030-01-01');
  await page.getByRole('heading', { name: '정기배송 (결제 예정일별)' }).waitFor();
  await page.locator('p.muted', { hasText: /^\d+건$/ }).waitFor();
  await page.goto('/admin/batch');
  await page.getByRole('heading', { name: '정기결제 실행 기록' }).waitFor();
  await page.goto('/admin/ops');
  await page.getByText('초당 요청 수').waitFor();
  await page.locator('.chart canvas').first().waitFor();
  await page.getByText('닫힘(정상)').waitFor();
  assert.equal(await page.locator('.chart').count(), 4);
  await page.context().close();
});

test('a customer cannot open the admin console', async () => {
  const page = await newPage(stack);
  await signUp(page, 'nosy');
  await page.goto('/admin/orders');
  await page.getByText('관리자만 볼 수 있는 페이지입니다.').waitFor();
  await page.context().close();
});

// The smallest valid PNG: a 1×1 transparent pixel.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

test('an admin creates an item, edits price, discount and stock, and uploads its image', async () => {
  const page = await newPage(stack);
  await login(page, ADMIN);
  await page.goto('/admin/items');
  await page.getByRole('button', { name: '상품 등록' }).click();
  const form = page.getByRole('form', { name: '상품 등록' });
  await form.getByLabel('상품명').fill('브라우저 테스트 루테인');
  await form.getByLabel('브랜드').fill('필리버리랩');
  await form.getByLabel('주된 기능성').fill('눈 건강에 도움을 줄 수 있음');
  await form.getByLabel(/제품 형태/).fill('캡슐');
  await form.getByLabel('정가(원)').fill('20000');
  await form.getByLabel('할인율(%)').fill('10');
  await form.getByLabel('재고').fill('5');
  await form.getByRole('button', { name: '저장' }).click();
  await form.waitFor({ state: 'detached' });
  const created = (await (await fetch(`${stack.base}/api/items?keyword=${encodeURIComponent('브라우저 테스트 루테인')}`)).json()).data[0];
  assert.equal(created.realPrice, 18000);
  assert.equal(created.thumbnailUrl, `/images/items/${created.itemId}.svg`);

  // A bad file type is refused with the API's problem next to the field.
  await page.goto(`/admin/items?keyword=${encodeURIComponent('브라우저 테스트 루테인')}`);
  await page.getByRole('button', { name: '브라우저 테스트 루테인 수정' }).click();
  const edit = page.getByRole('form', { name: `상품 ${created.itemId} 수정` });
  await edit.getByLabel('정가(원)').waitFor();
  await edit.getByLabel(/상품 이미지/).setInputFiles({ name: 'x.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
  await edit.getByRole('button', { name: '저장' }).click();
  await edit.getByText('PNG, JPEG, WebP 이미지만 올릴 수 있습니다.').waitFor();
  await edit.getByLabel('정가(원)').fill('30000');
  await edit.getByLabel('할인율(%)').fill('20');
  await edit.getByLabel('재고').fill('7');
  await edit.getByLabel(/상품 이미지/).setInputFiles({ name: 'pack.png', mimeType: 'image/png', buffer: PNG });
  await edit.getByRole('button', { name: '저장' }).click();
  await edit.waitFor({ state: 'detached' });
  const detail = (await (await fetch(`${stack.base}/api/items/${created.itemId}`)).json()).data;
  assert.equal(detail.realPrice, 24000);
  assert.equal(detail.stock, 7);
  assert.match(detail.thumbnailUrl, new RegExp(`^/images/items/${created.itemId}\\?v=`));
  const image = await fetch(`${stack.base}${detail.thumbnailUrl}`);
  assert.equal(image.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await image.arrayBuffer()), PNG);
  await page.goto(`/items/${created.itemId}`);
  await page.getByRole('img', { name: '브라우저 테스트 루테인 제품 이미지' }).waitFor();
  assert.ok(await page.getByRole('img', { name: '브라우저 테스트 루테인 제품 이미지' }).evaluate((img) => img.complete && img.naturalWidth === 1));
  await screenshot(page, 'admin-catalog');
  await page.context().close();
});
