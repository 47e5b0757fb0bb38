// The contract checker itself: it accepts an answer that keeps the document and names the
// route, status and schema path of one that does not. Run: node --test test/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ContractChecker } from '../lib/contract.mjs';

const document = JSON.parse(readFileSync(new URL('../generated/openapi.json', import.meta.url), 'utf8'));
const checker = new ContractChecker(document);
const item = document.components.schemas.Item.example;
const record = (method, target, status, body, contentType = 'application/json', encoding = '') => ({
  test: 'self-test', method, target, status, contentType, contentEncoding: encoding,
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)).toString('base64'),
});

test('an answer that keeps the contract passes', () => {
  assert.deepEqual(checker.check(record('GET', '/api/items/1', 200, { data: item })), []);
  assert.deepEqual(checker.check(record('GET', '/api/items/main?x=1', 200, { data: { bestSellers: [], topDiscounts: [] } })), []);
  assert.deepEqual(checker.check(record('DELETE', '/api/reviews/3', 204, '', '')), []);
  const gz = { ...record('GET', '/api/items/1', 200, ''), contentEncoding: 'gzip', body: gzipSync(JSON.stringify({ data: item })).toString('base64') };
  assert.deepEqual(checker.check(gz), []);
});

test('a member of the wrong type is named with its schema path', () => {
  const [failure, ...rest] = checker.check(record('GET', '/api/items/1', 200, { data: { ...item, stock: 'many' } }));
  assert.match(failure, /^GET \/api\/items\/\{id\} 200: body\/data\/stock must be integer/);
  assert.match(failure, /schema .*stock/);
  assert.equal(rest.length, 0);
});

test('an undocumented member, a missing member and an unknown enum value fail', () => {
  assert.match(checker.check(record('GET', '/api/items/1', 200, { data: { ...item, secret: 1 } }))[0], /additional properties/);
  const { stock, ...withoutStock } = item;
  assert.match(checker.check(record('GET', '/api/items/1', 200, { data: withoutStock }))[0], /must have required property 'stock'/);
  assert.match(checker.check(record('GET', '/api/items/1', 200, { data: { ...item, status: 'GONE' } }))[0], /must be equal to one of the allowed values/);
});

test('an undeclared status, problem code or content type fails', () => {
  assert.match(checker.check(record('GET', '/api/items/1', 418, {}))[0], /status 418 is not declared/);
  const problem = { type: 'https://pillivery.dev/problems/order-not-found', title: 'Not Found', status: 404, detail: 'x', code: 'ORDER_NOT_FOUND', errors: [] };
  assert.match(checker.check(record('GET', '/api/items/1', 404, problem, 'application/problem+json'))[0], /body\/code must be equal to one of the allowed values/);
  assert.deepEqual(checker.check(record('GET', '/api/items/1', 404, { ...problem, code: 'ITEM_NOT_FOUND' }, 'application/problem+json')), []);
  assert.match(checker.check(record('GET', '/api/items/1', 200, { data: item }, 'text/html'))[0], /content type "text\/html" is not declared/);
  assert.match(checker.check(record('DELETE', '/api/reviews/3', 204, 'oops', 'text/plain'))[0], /declares no body/);
});

test('a route outside the document fails unless the router answered it', () => {
  assert.match(checker.check(record('GET', '/api/secret', 200, {}))[0], /no operation in the document/);
  const notFound = { type: 'https://pillivery.dev/problems/route-not-found', title: 'Not Found', status: 404, detail: 'x', code: 'ROUTE_NOT_FOUND', errors: [] };
  assert.deepEqual(checker.check(record('GET', '/api/secret', 404, notFound, 'application/problem+json')), []);
  const notAllowed = { ...notFound, status: 405, title: 'Method Not Allowed', code: 'METHOD_NOT_ALLOWED', type: 'https://pillivery.dev/problems/method-not-allowed' };
  assert.deepEqual(checker.check(record('PUT', '/api/items/1', 405, notAllowed, 'application/problem+json')), []);
});

test('literal segments win over parameters, as in the router', () => {
  assert.equal(checker.find('GET', '/api/items/main').operation.path, '/api/items/main');
  assert.equal(checker.find('GET', '/api/items/7').operation.path, '/api/items/{id}');
  assert.equal(checker.find('HEAD', '/api/items/7').operation.method, 'GET');
});

test("the web app's files outside the API are not the document's business, but an unknown API path is", () => {
  const before = checker.webAppAnswers;
  assert.deepEqual(checker.check(record('GET', '/items/3', 200, '<!doctype html>', 'text/html')), []);
  assert.deepEqual(checker.check(record('GET', '/assets/index-abc.js', 200, 'x', 'text/javascript')), []);
  assert.equal(checker.webAppAnswers, before + 2);
  assert.match(checker.check(record('GET', '/api/secret', 200, '<!doctype html>', 'text/html'))[0], /no operation in the document/);
  assert.match(checker.check(record('GET', '/images/items/1/x', 200, 'x', 'text/plain'))[0], /no operation in the document/);
  assert.deepEqual(checker.check(record('GET', '/healthz', 200, 'x', 'text/html')), []);  // a prefix is a whole segment
});
