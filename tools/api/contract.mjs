#!/usr/bin/env node
// Validates every answer the API test suites recorded (PILLIVERY_CONTRACT_LOG_DIR, one
// JSONL file per test process; see tests/support/test_support.hpp) against the document.
//   node contract.mjs <openapi.json> <log dir>
// Fails naming the test, the request, the status and the schema path of each broken answer.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { API_PREFIXES, ContractChecker } from './lib/contract.mjs';

const [docPath, dir] = process.argv.slice(2);
if (!docPath || !dir) {
  console.error('usage: node contract.mjs <openapi.json> <log dir>');
  process.exit(2);
}
const checker = new ContractChecker(JSON.parse(readFileSync(docPath, 'utf8')));
let checked = 0;
const failures = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const record = JSON.parse(line);
    checked += 1;
    for (const problem of checker.check(record)) failures.push(`[${record.test}] ${problem}`);
  }
}
const unique = [...new Set(failures)];
for (const failure of unique.slice(0, 100)) console.error('FAIL ' + failure);
if (unique.length > 100) console.error(`... and ${unique.length - 100} more`);
const operations = checker.operations.length;
const exercised = new Set([...checker.seen].map((s) => s.split(' ').slice(0, 2).join(' '))).size;
console.log(`contract: ${checked} answers checked; ${checker.seen.size} operation/status pairs seen; ${exercised} of ${operations} operations exercised`);
if (checker.webAppAnswers) console.log(`contract: ${checker.webAppAnswers} of them answered by the web app's files outside the API (${API_PREFIXES.join(', ')} excepted), not part of the document`);
if (checked === 0) {
  console.error('contract: nothing was recorded (is PILLIVERY_CONTRACT_LOG_DIR set for the tests?)');
  process.exit(1);
}
console.log(`contract: ${checked - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
