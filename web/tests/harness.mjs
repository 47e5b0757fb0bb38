// Starts the real stack for the browser tests: pg-simulator, `pillivery serve`
// on a fresh SQLite database with the built web app (web/dist), and Debian's
// Chromium through playwright-core. Everything listens on 127.0.0.1, free ports.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const here = path.dirname(fileURLToPath(import.meta.url));
export const webDir = path.resolve(here, '..');
export const repoDir = path.resolve(webDir, '..');
const binDir = process.env.PILLIVERY_BIN_DIR ?? path.join(repoDir, 'build/debug/bin');
export const artefacts = path.join(repoDir, 'build/web-tests');
mkdirSync(artefacts, { recursive: true });

export const ADMIN = { email: 'admin@pillivery.test', password: 'Admin-pass-1234' };

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url, child, name) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not answer ${url} in 30 s`);
}

/** The whole stack; `stop()` ends everything it started. */
export async function startStack({ items = 60, env: extraEnv = {} } = {}) {
  if (process.env.PILLIVERY_WEB_TEST_BASE) return attachToRunningStack(process.env.PILLIVERY_WEB_TEST_BASE);
  const dir = mkdtempSync(path.join(tmpdir(), 'pillivery-web-'));
  const [port, simPort] = [await freePort(), await freePort()];
  const dbPath = path.join(dir, 'store.db');
  const env = {
    ...process.env,
    PILLIVERY_DB_URL: `sqlite://${dbPath}`,
    PILLIVERY_HTTP_PORT: String(port),
    PILLIVERY_KAKAOPAY_BASE_URL: `http://127.0.0.1:${simPort}/online/v1/payment/`,
    PILLIVERY_WEB_ROOT: path.join(webDir, 'dist'),
    PILLIVERY_IMAGE_DIR: path.join(dir, 'images'),
    PILLIVERY_ADMIN_EMAIL: ADMIN.email,
    PILLIVERY_ADMIN_PASSWORD: ADMIN.password,
    PILLIVERY_BILLING_SCHEDULER: 'false',
    PILLIVERY_LOG_LEVEL: 'warn',
    PILLIVERY_JWT_SECRET: 'browser-test-secret-browser-test-secret',
    ...extraEnv,
  };
  const pillivery = path.join(binDir, 'pillivery');
  execFileSync(pillivery, ['migrate'], { env, stdio: 'ignore' });
  execFileSync(pillivery, ['seed', '--items', String(items), '--seed', '7'], { env, stdio: 'ignore' });
  const sim = spawn(path.join(binDir, 'pg-simulator'), ['--port', String(simPort), '--db', path.join(dir, 'sim.db')], { stdio: 'ignore' });
  const server = spawn(pillivery, ['serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitFor(`http://127.0.0.1:${simPort}/__ledger`, sim, 'pg-simulator');
  await waitFor(`http://127.0.0.1:${port}/health/ready`, server, 'pillivery');
  const browser = await chromium.launch({
    executablePath: process.env.PILLIVERY_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    dbPath,
    browser,
    simulator: `http://127.0.0.1:${simPort}`,
    /** The billing job for a business date, through this server (`pillivery batch run`). */
    batch(date) {
      return execFileSync(pillivery, ['batch', 'run', '--date', date, '--api-url', base], { env: { ...env, PILLIVERY_LOG_LEVEL: process.env.PILLIVERY_BATCH_LOG_LEVEL ?? 'warn' }, encoding: 'utf8' });
    },
    sql(statement) {
      return execFileSync('sqlite3', ['-cmd', '.timeout 10000', dbPath, statement], { encoding: 'utf8' }).trim();
    },
    async stop() {
      await browser.close().catch(() => {});
      for (const child of [server, sim]) child.kill('SIGTERM');
      await Promise.all([server, sim].map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// For working on the app: a stack already running (e.g. `vite` proxying to a server).
async function attachToRunningStack(base) {
  const browser = await chromium.launch({
    executablePath: process.env.PILLIVERY_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const dbPath = process.env.PILLIVERY_WEB_TEST_DB;
  return {
    base,
    dbPath,
    browser,
    sql: (statement) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', dbPath, statement], { encoding: 'utf8' }).trim(),
    stop: () => browser.close(),
  };
}

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

export async function newPage(stack, viewport = DESKTOP) {
  const context = await stack.browser.newContext({ viewport, baseURL: stack.base, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('dialog', (d) => d.accept(d.type() === 'prompt' ? d.defaultValue() : undefined));
  return page;
}

/** No serious or critical axe violations on the page as it is now. */
export async function expectAccessible(page, name) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length)
    throw new Error(`${name}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`).join('; ')}`);
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(artefacts, `${name}.png`), fullPage: true });
}

/** With PILLIVERY_WEB_DOCS_SCREENSHOTS=1, also the viewport's picture for docs/screenshots/. */
export async function docsScreenshot(page, name) {
  await screenshot(page, name);
  if (process.env.PILLIVERY_WEB_DOCS_SCREENSHOTS !== '1') return;
  const dir = path.join(repoDir, 'docs/screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

let counter = 0;
/** A new customer through the sign-up form; returns its credentials. */
export async function signUp(page, prefix = 'buyer') {
  const n = `${Date.now() % 1_000_000}${counter++}`;
  const user = {
    email: `${prefix}${n}@example.com`,
    password: 'Passw0rd!',
    displayName: `${prefix}${n}`,
    phone: `010-${String(1000 + (Number(n) % 9000)).padStart(4, '0')}-${String(1000 + ((Number(n) * 7) % 9000)).padStart(4, '0')}`,
  };
  await page.goto('/signup');
  await page.getByLabel('이메일').fill(user.email);
  await page.getByLabel(/^비밀번호/).fill(user.password);
  await page.getByLabel('닉네임').fill(user.displayName);
  await page.getByLabel('이름', { exact: true }).fill('김필리');
  await page.getByLabel('휴대폰 번호').fill(user.phone);
  await page.getByLabel('시/도').fill('서울특별시');
  await page.getByLabel('상세 주소').fill('종로구 세종대로 1');
  await page.getByRole('button', { name: '가입하기' }).click();
  await page.getByRole('link', { name: `${user.displayName}님` }).waitFor();
  return user;
}

export async function login(page, { email, password }) {
  await page.goto('/login');
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(password);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.getByRole('button', { name: '로그아웃' }).waitFor();
}

/** From a filled cart to the simulator's page and back: the result page's title. */
export async function checkoutAndPay(page, kind, button = 'pay') {
  await page.goto(kind === 'subscription' ? '/checkout?kind=subscription' : '/checkout');
  await page.getByLabel('받는 분').waitFor();
  await page.getByRole('button', { name: '카카오페이로 결제하기' }).click();
  await page.waitForURL(/\/__pay\//);
  await page.getByRole('button', { name: button }).click();
  await page.waitForURL(/\/payment\/result/);
  return new URL(page.url()).searchParams.get('orderId');
}
