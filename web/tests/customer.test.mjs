// A new customer's whole journey in Chromium against the real server, the
// real pg-simulator and SQLite: sign up, search, both carts, pay one-time and
// subscription orders through the simulator page, run the subscription
// portal, cancel an order, write/edit/delete a review.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, newPage, signUp, checkoutAndPay, screenshot, docsScreenshot, expectAccessible, PHONE } from './harness.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

async function anInStockItem(offset = 0) {
  const r = await fetch(`${stack.base}/api/items?sort=SALES&size=20`);
  const items = (await r.json()).data.filter((i) => i.inStock);
  return items[offset];
}

test('sign-up shows the API validation messages next to the fields', async () => {
  const page = await newPage(stack);
  await page.goto('/signup');
  await page.getByLabel('이메일').fill('not-an-email');
  await page.getByLabel(/^비밀번호/).fill('short');
  await page.getByLabel('휴대폰 번호').fill('12345');
  await page.getByRole('button', { name: '가입하기' }).click();
  await page.locator('#f-email-e').waitFor();
  assert.ok(await page.locator('#f-password-e').isVisible());
  assert.ok(await page.locator('#f-phone-e').isVisible());
  assert.equal(await page.locator('#f-email').getAttribute('aria-invalid'), 'true');
  await page.context().close();
});

test('a new customer searches, fills both carts, pays both and runs the subscription portal', async () => {
  const page = await newPage(stack);
  try {
    await customerJourney(page);
  } catch (e) {
    await screenshot(page, 'customer-journey-failed');
    throw e;
  }
  await page.context().close();
});

async function customerJourney(page) {
  const user = await signUp(page);
  const item = await anInStockItem(0);
  const other = await anInStockItem(1);

  // Search: keyword, brand, price range, on-sale, sort, paging.
  const keyword = item.productName.split(/\s+/)[0];
  await page.goto('/');
  await page.getByRole('heading', { name: '베스트셀러' }).waitFor();
  await page.getByRole('searchbox', { name: '상품 검색' }).fill(keyword);
  await page.getByRole('search').getByRole('button', { name: '검색' }).click();
  await page.waitForURL(/\/search\?keyword=/);
  await page.getByRole('link', { name: new RegExp(item.productName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).first().waitFor();
  await page.getByLabel('브랜드').fill(item.enterprise);
  await page.getByLabel('최저 가격').fill('0');
  await page.getByLabel('최고 가격').fill(String(item.realPrice + 1000));
  await page.getByRole('button', { name: '적용' }).click();
  await page.waitForURL(/brand=/);
  assert.match(page.url(), /maxPrice=/);
  await page.getByLabel('정렬').selectOption('PRICE_ASC');
  await page.waitForURL(/sort=PRICE_ASC/);
  await page.goto('/search?onSale=true&sort=DISCOUNT_RATE_DESC');
  await page.getByText(/개 상품/).waitFor();
  await page.getByRole('navigation', { name: '페이지' }).getByRole('link', { name: '다음' }).click();
  await page.waitForURL(/page=2/);
  await page.goBack();
  await page.waitForURL((u) => !u.search.includes('page=2'));

  // Item page with every public-data field, then both carts.
  await page.goto(`/items/${item.itemId}`);
  await page.getByRole('heading', { name: item.productName, level: 1 }).waitFor();
  for (const label of ['주된 기능성', '섭취 방법', '섭취 시 주의사항', '보관 방법', '원재료'])
    assert.ok(await page.getByText(label, { exact: true }).isVisible(), label);
  await page.getByLabel('수량').fill('2');
  await page.getByRole('button', { name: '장바구니 담기' }).click();
  await page.getByText('장바구니에 담았습니다.').waitFor();
  await page.getByLabel('배송 주기(일, 정기배송)').fill('5');
  await page.getByRole('button', { name: '정기배송 담기' }).click();
  await page.locator('#f-period-e').waitFor(); // the API's message for a period below 7
  await page.getByLabel('배송 주기(일, 정기배송)').fill('30');
  await page.getByLabel('수량').fill('1');
  await page.getByRole('button', { name: '정기배송 담기' }).click();
  await page.getByText('정기배송 장바구니에 담았습니다.').waitFor();
  await page.goto(`/items/${other.itemId}`);
  await page.getByRole('button', { name: '장바구니 담기' }).click();
  await page.getByText('장바구니에 담았습니다.').waitFor();

  // The normal cart: quantities and totals come from the server.
  await page.goto('/cart');
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/carts/normal/items/') && r.request().method() === 'PATCH'),
    page.getByLabel('수량').first().selectOption('3'),
  ]);
  const cart = await (await page.request.get('/api/carts/normal', { headers: { Authorization: `Bearer ${await token(page)}` } })).json();
  assert.equal(cart.data.lines.length, 2);
  await page.getByText(cart.data.totalPrice.toLocaleString('ko-KR') + '원').first().waitFor();
  await page.getByRole('button', { name: `${other.productName} 삭제` }).click();
  await page.getByRole('button', { name: `${other.productName} 삭제` }).waitFor({ state: 'detached' });

  // One-time order paid through the simulator's page.
  let orderId = await checkoutAndPay(page, 'normal');
  await page.getByRole('heading', { name: '결제가 완료되었습니다' }).waitFor();
  await page.getByText('결제 완료').first().waitFor();
  await expectAccessible(page, 'payment result');
  await page.reload();
  await page.getByRole('heading', { name: '결제가 완료되었습니다' }).waitFor();

  // Subscription order: period per line in the subscription cart.
  await page.goto('/cart?kind=subscription');
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/carts/subscription/items/') && r.request().method() === 'PATCH'),
    page.getByLabel('주기').selectOption('14'),
  ]);
  const subOrder = await checkoutAndPay(page, 'subscription');
  await page.getByRole('heading', { name: '결제가 완료되었습니다' }).waitFor();
  await page.getByText('정기배송이 시작되었습니다.').waitFor();

  // The portal: skip, pause, resume, change period and quantity, cancel with a reason.
  await page.getByRole('link', { name: '정기배송 관리' }).first().click();
  await page.getByRole('link', { name: item.productName }).click();
  await page.getByText('다음 결제일').waitFor();
  await page.getByText('아직 자동 결제 내역이 없습니다', { exact: false }).waitFor();
  await expectAccessible(page, 'subscription portal');
  await docsScreenshot(page, 'portal-desktop');
  const nextBefore = await page.locator('.next dd').first().textContent();
  await page.getByRole('button', { name: '다음 배송 건너뛰기' }).click();
  await page.getByText('다음 배송을 건너뛰었습니다.').waitFor();
  assert.notEqual(await page.locator('.next dd').first().textContent(), nextBefore);
  await page.getByRole('button', { name: '일시정지' }).click();
  await page.getByText('정기배송을 일시정지했습니다.').waitFor();
  await page.getByRole('button', { name: '다시 시작' }).click();
  await page.getByText('정기배송을 다시 시작했습니다.').waitFor();
  await page.getByLabel('배송 주기').selectOption('60');
  await page.getByRole('spinbutton', { name: '수량' }).fill('2');
  await page.getByRole('button', { name: '변경 저장' }).click();
  await page.getByText(/변경했습니다/).waitFor();
  await page.reload();
  await page.getByText('2개 · 60일마다').waitFor();
  await page.getByRole('button', { name: '정기배송 해지' }).click();
  await page.getByLabel('가격이 부담돼요').check();
  await page.getByRole('button', { name: '해지하기' }).click();
  await page.getByText('정기배송을 해지했습니다.').waitFor();
  await page.getByText('해지된 정기배송입니다.').waitFor();
  assert.ok(subOrder);

  // An order abandoned on the simulator page, then cancelled from its page.
  await page.goto(`/items/${other.itemId}`);
  await page.getByRole('button', { name: '장바구니 담기' }).click();
  await page.getByText('장바구니에 담았습니다.').waitFor();
  orderId = await checkoutAndPay(page, 'normal', 'quit');
  await page.getByRole('heading', { name: '결제를 취소했습니다' }).waitFor();
  await page.getByRole('link', { name: '주문 상세 보기' }).click();
  await page.getByRole('button', { name: '주문 취소' }).waitFor();
  await expectAccessible(page, 'order detail');
  await page.getByRole('button', { name: '주문 취소' }).click();
  await page.getByText('주문 취소', { exact: true }).first().waitFor();
  await page.locator('.history').getByText('주문 취소').waitFor();
  assert.ok(orderId);

  // A review of the bought item: write, edit, delete.
  await page.goto(`/items/${item.itemId}`);
  await page.getByLabel('리뷰 내용').fill('매일 먹기 편하고 효과가 좋아요.');
  await page.getByRole('button', { name: '리뷰 등록' }).click();
  await page.getByText('매일 먹기 편하고 효과가 좋아요.').waitFor();
  await page.getByRole('button', { name: '수정', exact: true }).click();
  await page.getByRole('form', { name: '리뷰 수정' }).getByLabel('리뷰 내용').fill('두 달째 먹는 중입니다.');
  await page.getByRole('button', { name: '리뷰 수정' }).click();
  await page.getByText('두 달째 먹는 중입니다.').waitFor();
  await page.getByRole('button', { name: '삭제', exact: true }).click();
  await page.getByText('두 달째 먹는 중입니다.').waitFor({ state: 'detached' });

  // Orders list, back and reload.
  await page.goto('/my/orders');
  await page.getByRole('link', { name: new RegExp(`주문 ${orderId}`) }).click();
  await page.waitForURL(new RegExp(`/my/orders/${orderId}$`));
  await page.goBack();
  await page.getByRole('heading', { name: '주문 내역' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: '주문 내역' }).waitFor();
  await screenshot(page, 'customer-journey');

  // Profile edit, logout, login again, withdrawal.
  await page.goto('/me');
  await page.getByLabel('상세 주소').fill('중구 을지로 2');
  await page.getByLabel('닉네임').fill(`${user.displayName}x`);
  await page.getByRole('button', { name: '저장' }).click();
  await page.getByText('저장했습니다.').waitFor();
  await page.getByRole('link', { name: `${user.displayName}x님` }).waitFor(); // the header follows
  await page.getByRole('button', { name: '로그아웃' }).click();
  await page.getByRole('link', { name: '로그인' }).waitFor();
  await page.goto('/login');
  await page.getByLabel('이메일').fill(user.email);
  await page.getByLabel('비밀번호').fill(user.password);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.getByRole('button', { name: '로그아웃' }).waitFor();
  await page.goto('/me');
  await page.getByLabel('비밀번호 확인').fill(user.password);
  await page.getByRole('button', { name: '탈퇴하기' }).click();
  await page.getByRole('link', { name: '회원가입' }).waitFor();
}

test('the store works on a 360 px phone', async () => {
  const page = await newPage(stack, PHONE);
  await page.goto('/');
  await page.getByRole('heading', { name: '베스트셀러' }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  const item = await anInStockItem(2);
  await page.goto(`/items/${item.itemId}`);
  await page.getByRole('heading', { name: item.productName, level: 1 }).waitFor();
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0);
  await screenshot(page, 'phone-item');
  await page.context().close();
});

async function token(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem('pillivery.tokens')).accessToken);
}
