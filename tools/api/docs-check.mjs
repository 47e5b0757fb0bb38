#!/usr/bin/env node
// Opens GET /docs of the real server in a real Chromium (Debian's /usr/bin/chromium driven
// by playwright-core, no browser download) and checks that the reference renders the
// document: no console errors, no failed requests, every tag of the document shown, and the
// examples present. Saves a screenshot next to the log.
//   node docs-check.mjs <bin dir> [screenshot.png]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startStack } from './lib/stack.mjs';

const [binDir, screenshot] = process.argv.slice(2);
if (!binDir) {
  console.error('usage: node docs-check.mjs <bin dir> [screenshot.png]');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const stack = await startStack(binDir, { items: 5 });
const profile = mkdtempSync(join(tmpdir(), 'pillivery-docs-chromium-'));
const failures = [];
let passed = 0;
const check = (ok, what) => (ok ? (passed += 1) : failures.push(what));
let browser;
try {
  const document = await (await fetch(stack.base + '/openapi.json')).json();
  browser = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  const response = await page.goto(stack.base + '/docs', { waitUntil: 'load', timeout: 30000 });
  check(response?.status() === 200, `/docs answered ${response?.status()}`);
  // Redoc renders a section per tag (id "tag/<name>") once it has loaded /openapi.json.
  await page.waitForSelector('[id="tag/catalog"]', { timeout: 30000 });
  for (const tag of document.tags ?? []) {
    const shown = await page.locator(`[id="tag/${tag.name}"]`).count();
    check(shown > 0, `tag "${tag.name}" is not shown`);
  }
  const text = await page.locator('body').innerText();
  check(text.includes(document.info.title), 'the title is not shown');
  for (const summary of ['Place an order', 'Start a KakaoPay payment', 'Charge one subscription cycle']) {
    check(text.includes(summary), `operation "${summary}" is not shown`);
  }
  // An operation's example is rendered (Redoc shows the response samples as JSON).
  await page.locator('[id="tag/orders/operation/placeOrder"]').scrollIntoViewIfNeeded();
  const sample = await page.locator('[id="tag/orders/operation/placeOrder"]').innerText();
  check(sample.includes('PENDING_PAYMENT') || sample.includes('"orderId"'), 'the placeOrder example is not rendered');
  if (screenshot) await page.screenshot({ path: screenshot });
  await page.waitForTimeout(500);  // late errors (workers, lazy chunks) still count
  for (const e of errors) failures.push(e);
} catch (e) {
  failures.push(`docs check stopped: ${e.stack ?? e}`);
} finally {
  if (browser) await browser.close();
  rmSync(profile, { recursive: true, force: true });
  await stack.stop();
}
for (const f of failures) console.error('FAIL ' + f);
console.log(`docs: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
