#!/usr/bin/env node
// Black-box contract run: the real server binary and the real pg-simulator, driven through a
// whole purchase and subscription journey as a client would, every answer checked against
// the document the server itself serves (/openapi.json).
//   node journey.mjs <bin dir>      (e.g. ../../build/coverage/bin)
import { ContractChecker } from './lib/contract.mjs';
import { ADMIN, INTERNAL_TOKEN, startStack } from './lib/stack.mjs';

const binDir = process.argv[2];
if (!binDir) {
  console.error('usage: node journey.mjs <bin dir>');
  process.exit(2);
}

const stack = await startStack(binDir);
let checker;
let calls = 0;
const failures = [];
const expectations = [];

// One request; the answer is contract-checked and its status compared with what the step expects.
async function call(method, target, { body, token, headers = {}, expect } = {}) {
  const response = await fetch(stack.base + target, {
    method,
    redirect: 'manual',
    headers: {
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  calls += 1;
  const record = {
    test: 'journey', method, target, status: response.status,
    contentType: response.headers.get('content-type') ?? '', contentEncoding: '',
    body: bytes.toString('base64'),
  };
  for (const problem of checker.check(record)) failures.push(problem);
  if (expect !== undefined && response.status !== expect) {
    expectations.push(`${method} ${target}: expected ${expect}, got ${response.status} ${bytes.toString('utf8').slice(0, 300)}`);
  }
  const text = bytes.toString('utf8');
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the contract check judged it
  }
  return { status: response.status, json, headers: response.headers };
}

async function pay(orderId, token) {
  const ready = await call('POST', `/api/orders/${orderId}/payment`, {
    token, body: { provider: 'KAKAOPAY' }, headers: { 'Idempotency-Key': `pay-${orderId}` }, expect: 201 });
  // A retry with the same key answers the stored answer.
  await call('POST', `/api/orders/${orderId}/payment`, {
    token, body: { provider: 'KAKAOPAY' }, headers: { 'Idempotency-Key': `pay-${orderId}` }, expect: 201 });
  const target = await gatewayRedirect(ready, 'approve');
  await call('GET', target, { expect: 302 });  // what a browser gets, then the JSON form
  return call('GET', target, { headers: { Accept: 'application/json' } });
}

// The simulator's payment page, answered as the customer would (approve, quit or fail): the
// gateway redirects to the server's URL for that outcome, which carries the order and the
// attempt's unguessable value. Returns that URL's path and query.
async function gatewayRedirect(ready, action) {
  const page = ready.json.data.redirectUrl.pc;
  const redirect = await fetch(page + (page.includes('?') ? '&' : '?') + 'auto=' + action, { redirect: 'manual' });
  const location = redirect.headers.get('location') ?? '';
  if (!location.includes('/api/payments/') || !location.includes('attempt=')) {
    expectations.push(`the gateway's ${action} redirect has no server URL with an attempt: ${location}`);
  }
  return location.slice(location.indexOf('/api/payments/'));
}

try {
  const doc = await (await fetch(stack.base + '/openapi.json')).json();
  checker = new ContractChecker(doc);
  await call('GET', '/openapi.json', { expect: 200 });
  await call('GET', '/docs', { expect: 200 });
  await call('GET', '/health/live', { expect: 200 });
  await call('GET', '/health/ready', { expect: 200 });
  await call('GET', '/metrics', { expect: 200 });

  // Browse.
  await call('GET', '/api/categories', { expect: 200 });
  await call('GET', '/api/items/main', { expect: 200 });
  const list = await call('GET', '/api/items?sort=PRICE_ASC&size=5', { expect: 200 });
  await call('GET', '/api/items?keyword=%EB%B9%84%ED%83%80%EB%AF%BC&onSale=true&minPrice=0&maxPrice=100000&page=1&size=3', { expect: 200 });
  await call('GET', '/api/items?sort=NOPE', { expect: 400 });
  const itemId = list.json.data[0].itemId;
  const otherId = list.json.data[1].itemId;
  await call('GET', `/api/items/${itemId}`, { expect: 200 });
  await call('GET', '/api/items/999999', { expect: 404 });
  await call('GET', `/api/items/${itemId}/reviews?sort=STAR_DESC`, { expect: 200 });

  // Sign up and in.
  const user = { email: 'journey@example.com', password: 'Passw0rd!', displayName: 'journey', realName: '김여정',
    phone: '010-2222-3333', city: '서울특별시', detailAddress: '중구 세종대로 110' };
  await call('POST', '/api/users', { body: { ...user, phone: '12345' }, expect: 400 });
  await call('POST', '/api/users', { body: user, expect: 201 });
  await call('POST', '/api/users', { body: user, expect: 409 });
  await call('POST', '/api/auth/login', { body: { email: user.email, password: 'wrong-Passw0rd!' }, expect: 401 });
  const login = await call('POST', '/api/auth/login', { body: { email: user.email, password: user.password }, expect: 200 });
  let token = login.json.data.accessToken;
  const refreshed = await call('POST', '/api/auth/refresh', { body: { refreshToken: login.json.data.refreshToken }, expect: 200 });
  token = refreshed.json.data.accessToken;
  await call('GET', '/api/users/me', { expect: 401 });
  await call('GET', '/api/users/me', { token, expect: 200 });
  await call('PATCH', '/api/users/me', { token, body: { city: '부산광역시' }, expect: 200 });
  await call('GET', '/api/auth/oauth2/kakao', { expect: 404 });  // not configured here

  // A one-time purchase from the cart.
  await call('GET', '/api/carts/normal', { token, expect: 200 });
  await call('POST', '/api/carts/normal/items', { token, body: { itemId, quantity: 2 }, expect: 201 });
  await call('POST', '/api/carts/normal/items', { token, body: { itemId: otherId, quantity: 1 }, expect: 201 });
  await call('PATCH', `/api/carts/normal/items/${itemId}`, { token, body: { quantity: 3 }, expect: 200 });
  await call('DELETE', `/api/carts/normal/items/${otherId}`, { token, expect: 200 });
  await call('POST', '/api/carts/normal/items', { token, body: { itemId, quantity: 0 }, expect: 400 });
  await call('GET', '/api/carts/weekly', { token, expect: 404 });
  const receiver = { name: '김여정', phone: '010-2222-3333', city: '서울특별시', detailAddress: '중구 세종대로 110' };
  const placed = await call('POST', '/api/orders', { token, body: { type: 'ONE_TIME', fromCart: true, receiver },
    headers: { 'Idempotency-Key': 'journey-order-1' }, expect: 201 });
  await call('POST', '/api/orders', { token, body: { type: 'ONE_TIME', fromCart: false, receiver },
    headers: { 'Idempotency-Key': 'journey-order-1' }, expect: 422 });
  const orderId = placed.json.data.orderId;
  const paid = await pay(orderId, token);
  if (paid.json?.data?.status !== 'PAID') expectations.push(`order ${orderId} is not PAID after approval`);
  await call('GET', `/api/orders/${orderId}`, { token, expect: 200 });
  await call('GET', '/api/orders?status=PAID&page=1&size=10', { token, expect: 200 });
  const review = await call('POST', `/api/items/${itemId}/reviews`, { token, body: { star: 5, content: '좋아요' }, expect: 201 });
  await call('PATCH', `/api/reviews/${review.json.data.reviewId}`, { token, body: { star: 4 }, expect: 200 });
  await call('GET', `/api/items/${itemId}/reviews`, { expect: 200 });
  await call('POST', `/api/items/${otherId}/reviews`, { token, body: { star: 5, content: '안 샀어요' }, expect: 403 });

  // An unpaid order the customer cancels, and a quit payment.
  const unpaid = await call('POST', '/api/orders', { token, body: { type: 'ONE_TIME', lines: [{ itemId: otherId, quantity: 1 }], receiver }, expect: 201 });
  const unpaidId = unpaid.json.data.orderId;
  const quitReady = await call('POST', `/api/orders/${unpaidId}/payment`, { token, body: { provider: 'KAKAOPAY' }, expect: 201 });
  const quit = await gatewayRedirect(quitReady, 'quit');
  // Without the attempt's value, or with another, a redirect changes nothing.
  await call('GET', `/api/payments/kakaopay/cancel?orderId=${unpaidId}`, { headers: { Accept: 'application/json' }, expect: 400 });
  await call('GET', `/api/payments/kakaopay/cancel?orderId=${unpaidId}&attempt=not-the-attempt`, { headers: { Accept: 'application/json' }, expect: 404 });
  await call('GET', quit, { headers: { Accept: 'application/json' }, expect: 200 });
  const failReady = await call('POST', `/api/orders/${unpaidId}/payment`, { token, body: { provider: 'KAKAOPAY' }, expect: 201 });
  await call('GET', await gatewayRedirect(failReady, 'fail'), { expect: 302 });
  await call('POST', `/api/orders/${unpaid.json.data.orderId}/cancel`, { token, expect: 200 });

  // A subscription: cart with a period, order, payment, then the subscription's life.
  await call('POST', '/api/carts/subscription/items', { token, body: { itemId, quantity: 1, period: 30 }, expect: 201 });
  await call('GET', '/api/carts/subscription', { token, expect: 200 });
  const subOrder = await call('POST', '/api/orders', { token, body: { type: 'SUBSCRIPTION', fromCart: true, receiver }, expect: 201 });
  await pay(subOrder.json.data.orderId, token);
  const subs = await call('GET', '/api/subscriptions?status=ACTIVE', { token, expect: 200 });
  const sub = subs.json.data[0];
  await call('GET', `/api/subscriptions/${sub.subscriptionId}`, { token, expect: 200 });
  await call('PATCH', `/api/subscriptions/${sub.subscriptionId}`, { token, body: { period: 60, quantity: 2 }, expect: 200 });
  await call('PATCH', `/api/subscriptions/${sub.subscriptionId}`, { token, body: { period: 3 }, expect: 400 });
  await call('POST', `/api/subscriptions/${sub.subscriptionId}/skip`, { token, expect: 200 });
  await call('POST', `/api/subscriptions/${sub.subscriptionId}/pause`, { token, expect: 200 });
  await call('POST', `/api/subscriptions/${sub.subscriptionId}/pause`, { token, expect: 409 });
  const resumed = await call('POST', `/api/subscriptions/${sub.subscriptionId}/resume`, { token, expect: 200 });
  // The billing job's call: not due yet, so refused without charging.
  const due = resumed.json.data.nextPaymentDate;
  await call('POST', `/internal/subscriptions/${sub.subscriptionId}/charge`, {
    body: { dueDate: due, attempt: 1 }, headers: { 'X-Internal-Token': INTERNAL_TOKEN, 'Idempotency-Key': `sub-${sub.subscriptionId}-${due}-1` }, expect: 409 });
  await call('POST', `/internal/subscriptions/${sub.subscriptionId}/charge`, { body: { dueDate: due, attempt: 1 }, expect: 403 });
  await call('GET', `/api/subscriptions/${sub.subscriptionId}/charges`, { token, expect: 200 });

  // The back office.
  const adminLogin = await call('POST', '/api/auth/login', { body: ADMIN, expect: 200 });
  const admin = adminLogin.json.data.accessToken;
  await call('GET', '/api/admin/orders?status=PAID', { token, expect: 403 });
  await call('GET', '/api/admin/orders?status=PAID', { token: admin, expect: 200 });
  await call('GET', `/api/admin/subscriptions?status=ACTIVE&dueOn=${due}`, { token: admin, expect: 200 });
  await call('GET', '/api/admin/batch/runs', { token: admin, expect: 200 });
  await call('GET', '/api/admin/events/dead', { token: admin, expect: 200 });
  await call('POST', '/api/admin/events/999999/replay', { token: admin, expect: 404 });
  await call('GET', '/api/admin/users/1', { token: admin, expect: 200 });
  const created = await call('POST', '/api/admin/items', { token: admin, expect: 201,
    body: { productName: '저니 비타민', enterprise: '저니', mainFunction: '면역 기능에 도움을 줄 수 있음', originPrice: 20000, discountRate: 12.5, stock: 10 } });
  await call('PATCH', `/api/admin/items/${created.json.data.itemId}`, { token: admin, body: { stock: 5, status: 'ON_SALE' }, expect: 200 });
  await call('DELETE', `/api/admin/items/${created.json.data.itemId}`, { token: admin, expect: 204 });
  await call('POST', `/api/admin/orders/${orderId}/refund`, { token: admin, body: { amount: 1000 }, expect: 200 });
  await call('POST', `/api/admin/orders/${orderId}/refund`, { token: admin, body: { amount: 100000000 }, expect: 422 });
  // The customer cancels the paid order: the rest is refunded through the gateway.
  const cancelled = await call('POST', `/api/orders/${orderId}/cancel`, { token, expect: 200 });
  if (cancelled.json?.data?.status !== 'REFUNDED') expectations.push(`order ${orderId} is not REFUNDED after cancel`);
  await call('POST', `/api/orders/${orderId}/cancel`, { token, expect: 409 });

  // The end of the relationship.
  await call('POST', `/api/subscriptions/${sub.subscriptionId}/cancel`, { token, expect: 200 });
  await call('DELETE', `/api/reviews/${review.json.data.reviewId}`, { token, expect: 204 });
  await call('POST', '/api/auth/logout', { token, expect: 204 });
  const again = await call('POST', '/api/auth/login', { body: { email: user.email, password: user.password }, expect: 200 });
  await call('DELETE', '/api/users/me', { token: again.json.data.accessToken, body: { password: user.password }, expect: 204 });
  await call('GET', '/api/nothing-here', { expect: 404 });
} catch (e) {
  failures.push(`journey stopped: ${e.stack ?? e}`);
} finally {
  await stack.stop();
}

for (const f of expectations) console.error('STEP ' + f);
for (const f of failures) console.error('FAIL ' + f);
console.log(`journey: ${calls} answers checked against the document; ${expectations.length} unexpected statuses`);
const failed = failures.length + expectations.length;
console.log(`journey: ${calls - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
