// The Kakao and Google buttons against simulated providers: a small HTTP
// server here plays each provider's authorize, token and userinfo endpoints
// (the shapes pillivery reads), and the browser goes the whole way round:
// button → pillivery → provider → pillivery's callback → the web app, signed in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startStack, newPage, freePort, expectAccessible } from './harness.mjs';

let stack;
let provider;
const seen = { tokenRequests: [] };

function startProvider(port) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, `http://127.0.0.1:${port}`);
    const [, name, step] = url.pathname.split('/'); // /{kakao|google}/{authorize|token|userinfo}
    if (step === 'authorize') {
      // The consent page, approved at once: back to pillivery with a code.
      const back = new URL(url.searchParams.get('redirect_uri'));
      back.searchParams.set('code', `${name}-code`);
      back.searchParams.set('state', url.searchParams.get('state'));
      res.writeHead(302, { Location: back.toString() }).end();
    } else if (step === 'token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.tokenRequests.push(Object.fromEntries(new URLSearchParams(body)));
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: `${name}-access`, token_type: 'bearer' }));
      });
    } else if (step === 'userinfo' && req.headers.authorization === `Bearer ${name}-access`) {
      const profile =
        name === 'kakao'
          ? { id: 4242, kakao_account: { email: 'kakao.user@kakao.com', is_email_verified: true, is_email_valid: true, profile: { nickname: '카카오친구' } } }
          : { sub: 'g-4242', email: 'google.user@gmail.com', email_verified: true, name: '구글친구' };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(profile));
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

before(async () => {
  const port = await freePort();
  provider = await startProvider(port);
  const base = `http://127.0.0.1:${port}`;
  const env = {};
  for (const name of ['kakao', 'google']) {
    const upper = name.toUpperCase();
    env[`PILLIVERY_${upper}_CLIENT_ID`] = `${name}-client`;
    env[`PILLIVERY_${upper}_CLIENT_SECRET`] = `${name}-secret`;
    env[`PILLIVERY_${upper}_AUTHORIZE_URL`] = `${base}/${name}/authorize`;
    env[`PILLIVERY_${upper}_TOKEN_URL`] = `${base}/${name}/token`;
    env[`PILLIVERY_${upper}_USERINFO_URL`] = `${base}/${name}/userinfo`;
  }
  stack = await startStack({ items: 10, env });
});
after(async () => {
  await stack?.stop();
  provider?.close();
});

for (const [name, button, displayName] of [
  ['kakao', '카카오로 시작하기', '카카오친구'],
  ['google', 'Google로 시작하기', '구글친구'],
]) {
  test(`${name}: the button signs a new customer in and asks for the missing profile`, async () => {
    const page = await newPage(stack);
    await page.goto('/login');
    await page.getByRole('link', { name: button }).click();
    await page.waitForURL(/\/me$/); // a new social account has no phone or address yet
    await page.getByRole('heading', { name: '내 정보' }).waitFor();
    await page.getByText('배송을 위해 이름, 휴대폰 번호와 주소를 입력해 주세요.').waitFor();
    await page.getByRole('link', { name: `${displayName}님` }).waitFor();
    assert.equal(new URL(page.url()).hash, ''); // the tokens left the address bar
    await expectAccessible(page, `${name} profile`);
    assert.ok(seen.tokenRequests.some((r) => r.client_id === `${name}-client` && r.code === `${name}-code`));
    await page.context().close();
  });
}

test('a refusal at the provider lands on the app with a way back', async () => {
  const page = await newPage(stack);
  await page.goto('/api/auth/oauth2/kakao/callback?error=access_denied');
  await page.getByText('카카오 로그인에 실패했습니다.').waitFor();
  await page.getByRole('link', { name: '다시 로그인' }).waitFor();
  await page.context().close();
});
