// Quality bars: axe on every page, initial JS size, item-page LCP, retry on
// 5xx and network failure, back/reload, and the screenshots of docs/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { startStack, newPage, signUp, login, expectAccessible, docsScreenshot, webDir, artefacts, ADMIN, PHONE, DESKTOP } from './harness.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

async function firstItem() {
  const r = await fetch(`${stack.base}/api/items?size=1`);
  return (await r.json()).data[0];
}

test('initial JavaScript is at most 150 KB gzipped', () => {
  const html = readFileSync(path.join(webDir, 'dist/index.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  assert.ok(scripts.length > 0);
  let total = 0;
  for (const s of scripts) total += gzipSync(readFileSync(path.join(webDir, 'dist', s))).length;
  console.log(`initial JS: ${scripts.length} files, ${(total / 1024).toFixed(1)} KB gzipped`);
  writeFileSync(path.join(artefacts, 'initial-js.txt'), `${total}\n`);
  assert.ok(total <= 150 * 1024, `${total} bytes`);
});

// The item page's largest contentful paint, measured over cold loads and kept for
// bench/web/run.sh, which holds the < 1 s bar (docs/benchmarks.md): a speed target
// lives in the benchmark, not in a timed test. Here each cold load must report a
// largest paint once the item's heading shows. (Which element it is varies: a
// loading line React has since replaced was reported once, so it is recorded,
// not asserted.)
test('the item page reports its largest contentful paint on every cold load', async () => {
  const item = await firstItem();
  const page = await newPage(stack);
  await page.goto('/'); // warm the server's caches of the app shell like a returning visitor would not: measure cold below
  const runs = [];
  const elements = new Set();
  const loads = Number(process.env.PILLIVERY_LCP_LOADS ?? 5);
  for (let i = 0; i < loads; i++) {
    const context = await stack.browser.newContext({ viewport: DESKTOP, baseURL: stack.base });
    const p = await context.newPage();
    await p.goto(`/items/${item.itemId}`, { waitUntil: 'load' });
    await p.getByRole('heading', { level: 1 }).waitFor();
    const lcp = await p.evaluate(
      () =>
        new Promise((resolve) => {
          new PerformanceObserver((list) => {
            const last = list.getEntries().at(-1);
            const el = last.element;
            resolve({
              at: last.startTime,
              element: el ? el.tagName.toLowerCase() + (el.className ? `.${el.className}` : '') : '?',
            });
          }).observe({ type: 'largest-contentful-paint', buffered: true });
        }),
    );
    assert.ok(Number.isFinite(lcp.at) && lcp.at > 0, `LCP ${lcp.at}`);
    runs.push(lcp.at);
    elements.add(lcp.element);
    await context.close();
  }
  runs.sort((a, b) => a - b);
  const median = runs[Math.floor(runs.length / 2)];
  console.log(`item page LCP ms: ${runs.map((r) => r.toFixed(0)).join(', ')} (median ${median.toFixed(0)}; element ${[...elements].join(', ')})`);
  writeFileSync(path.join(artefacts, 'item-lcp.txt'), `${runs.join(' ')}\n`);
  writeFileSync(path.join(artefacts, 'item-lcp-element.txt'), `${[...elements].join(', ')}\n`);
  await page.context().close();
});

test('a 5xx or a network failure shows a retry message, and retry recovers', async () => {
  const page = await newPage(stack);
  let fail = 'status';
  await page.route('**/api/items/main', (route) =>
    fail === 'status' ? route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{"status":503,"code":"UNAVAILABLE"}' }) : fail === 'network' ? route.abort('connectionreset') : route.continue(),
  );
  await page.goto('/');
  await page.getByText('일시적인 문제로 정보를 불러오지 못했습니다.').waitFor();
  fail = 'network';
  await page.getByRole('button', { name: '다시 시도' }).click();
  await page.getByText('일시적인 문제로 정보를 불러오지 못했습니다.').waitFor();
  fail = 'none';
  await page.getByRole('button', { name: '다시 시도' }).click();
  await page.getByRole('heading', { name: '베스트셀러' }).waitFor();
  await page.context().close();
});

test('back and reload keep the page on client routes', async () => {
  const item = await firstItem();
  const page = await newPage(stack);
  await page.goto('/search?sort=NEWEST');
  await page.getByText(/개 상품/).waitFor();
  await page.locator('.card a').first().click();
  await page.waitForURL(/\/items\/\d+/);
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.goBack();
  await page.waitForURL(/sort=NEWEST/);
  assert.equal(await page.getByLabel('정렬').inputValue(), 'NEWEST');
  await page.goto(`/items/${item.itemId}?reviewPage=1`);
  await page.getByRole('heading', { name: item.productName, level: 1 }).waitFor();
  await page.goto('/no/such/page');
  await page.getByRole('heading', { name: '페이지를 찾을 수 없습니다' }).waitFor();
  await page.context().close();
});

test('no serious or critical accessibility violations on any page; screenshots', async () => {
  const item = await firstItem();
  const shoot = docsScreenshot;
  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ]) {
    const page = await newPage(stack, viewport);
    const visit = async (url, ready, name) => {
      await page.goto(url);
      await ready();
      await expectAccessible(page, `${url} (${label})`);
      if (name) await shoot(page, `${name}-${label}`);
    };
    await visit('/', () => page.getByRole('heading', { name: '베스트셀러' }).waitFor(), 'home');
    await visit('/search?keyword=&onSale=true', () => page.getByText(/개 상품/).waitFor(), 'search');
    await visit('/category/EYE', () => page.getByText(/개 상품/).waitFor());
    await visit(`/items/${item.itemId}`, () => page.getByRole('heading', { level: 1 }).waitFor(), 'item');
    await visit('/login', () => page.getByRole('heading', { name: '로그인' }).waitFor());
    await visit('/signup', () => page.getByRole('heading', { name: '회원가입' }).waitFor());
    await signUp(page, `a11y${label}`);
    await page.goto(`/items/${item.itemId}`);
    await page.getByRole('button', { name: '장바구니 담기' }).click();
    await page.getByText('장바구니에 담았습니다.').waitFor();
    await visit('/cart', () => page.getByText('결제 금액').waitFor(), 'cart');
    await visit('/checkout', () => page.getByLabel('받는 분').waitFor());
    await visit('/my/orders', () => page.getByRole('heading', { name: '주문 내역' }).waitFor());
    await visit('/my/subscriptions', () => page.getByRole('heading', { name: '정기배송 관리' }).waitFor());
    await visit('/me', () => page.getByRole('heading', { name: '내 정보' }).waitFor());
    await page.getByRole('button', { name: '로그아웃' }).click();
    await page.getByRole('link', { name: '로그인' }).waitFor();
    await login(page, ADMIN);
    await visit('/admin', () => page.getByRole('heading', { name: '관리자' }).waitFor());
    await visit('/admin/orders?status=PAID', () => page.getByRole('heading', { name: '주문·배송 관리' }).waitFor(), 'admin-orders');
    await visit('/admin/subscriptions', () => page.getByRole('heading', { name: '정기배송 (결제 예정일별)' }).waitFor());
    await visit('/admin/batch', () => page.getByRole('heading', { name: '정기결제 실행 기록' }).waitFor());
    await visit('/admin/events', () => page.getByRole('heading', { name: /실패 이벤트/ }).waitFor());
    await visit('/admin/ops', () => page.locator('.chart canvas').first().waitFor(), 'admin-ops');
    await page.context().close();
  }
});
