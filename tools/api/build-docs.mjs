#!/usr/bin/env node
// Builds the /docs viewer: Redoc's standalone bundle from npm, written into dist/ where the
// server's build compiles it in (src/api/CMakeLists.txt). Re-run cmake --build afterwards.
// The reference must work offline, so the one thing the bundle fetches from the internet
// (Redocly's logo in the side menu, an <img> from a CDN) is pointed at an empty data URL,
// which the bundle's own onError handler then hides.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const bundlePath = require.resolve('redoc/bundles/redoc.standalone.js');
let bundle = readFileSync(bundlePath, 'utf8');
const logo = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
if (!bundle.includes(logo)) throw new Error(`${bundlePath} no longer loads ${logo}: check what it fetches now`);
bundle = bundle.replaceAll(logo, 'data:,');
const left = bundle.match(/https:\/\/cdn\.[a-z0-9.-]+\/[^"'\s)]*/g);
if (left) throw new Error(`the viewer would still fetch from a CDN: ${[...new Set(left)].join(', ')}`);
const dist = new URL('./dist/', import.meta.url);
mkdirSync(dist, { recursive: true });
writeFileSync(new URL('redoc.standalone.js', dist), bundle);
console.log(`docs viewer: ${bundle.length} bytes in tools/api/dist/redoc.standalone.js`);
