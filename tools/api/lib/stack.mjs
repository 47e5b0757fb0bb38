// Starts the real binaries for a black-box run: the pg-simulator (KakaoPay) and the API
// server on SQLite in a temp dir, on free loopback ports; stop() ends both (by pid).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url, child, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${seconds}s`);
}

export const ADMIN = { email: 'admin@pillivery.test', password: 'Admin-pass-1234!' };
export const INTERNAL_TOKEN = 'journey-internal-token-0123456789';

export async function startStack(binDir, { items = 30 } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'pillivery-api-'));
  const simPort = await freePort();
  const apiPort = await freePort();
  const sim = spawn(join(binDir, 'pg-simulator'), ['--port', String(simPort), '--address', '127.0.0.1', '--db', join(work, 'sim.db')],
    { stdio: ['ignore', openSync(join(work, 'sim.log'), 'w'), 'inherit'] });
  const env = {
    ...process.env,
    PILLIVERY_DB_URL: `sqlite://${join(work, 'store.db')}`,
    PILLIVERY_HTTP_ADDRESS: '127.0.0.1',
    PILLIVERY_HTTP_PORT: String(apiPort),
    PILLIVERY_KAKAOPAY_BASE_URL: `http://127.0.0.1:${simPort}/online/v1/payment/`,
    PILLIVERY_PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
    PILLIVERY_ADMIN_EMAIL: ADMIN.email,
    PILLIVERY_ADMIN_PASSWORD: ADMIN.password,
    PILLIVERY_INTERNAL_TOKEN: INTERNAL_TOKEN,
    PILLIVERY_BILLING_SCHEDULER: 'false',
    PILLIVERY_LOG_LEVEL: 'warn',
  };
  const run = (args) => {
    const r = spawnSync(join(binDir, 'pillivery'), args, { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pillivery ${args.join(' ')}: ${r.stderr}`);
  };
  run(['migrate']);
  run(['seed', '--items', String(items), '--seed', '7']);
  const api = spawn(join(binDir, 'pillivery'), ['serve'], { env, stdio: ['ignore', openSync(join(work, 'api.log'), 'w'), 'inherit'] });
  const stop = () => {
    for (const child of [api, sim]) if (child.exitCode === null) child.kill('SIGTERM');
  };
  try {
    await waitFor(`http://127.0.0.1:${simPort}/__ledger`, sim);
    await waitFor(`http://127.0.0.1:${apiPort}/health/live`, api);
  } catch (e) {
    stop();
    throw e;
  }
  return {
    base: `http://127.0.0.1:${apiPort}`,
    sim: `http://127.0.0.1:${simPort}`,
    work,
    async stop() {
      stop();
      await Promise.all([api, sim].map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))));
      rmSync(work, { recursive: true, force: true });
    },
  };
}
