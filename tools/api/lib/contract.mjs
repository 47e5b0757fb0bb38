// Checks recorded HTTP answers against the OpenAPI document with a real JSON Schema
// validator (Ajv, 2020-12 dialect, the dialect of OpenAPI 3.1): the status is declared for
// the operation, the content type is one the response declares, and a JSON body matches
// the response's schema.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { gunzipSync } from 'node:zlib';

const DOC_ID = 'https://pillivery.dev/openapi.json';

// "#/components/..." refs point into the document, registered once under DOC_ID.
function rebase(value) {
  if (Array.isArray(value)) return value.map(rebase);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? DOC_ID + v : rebase(v);
    }
    return out;
  }
  return value;
}

// The paths the server keeps for itself (src/app/application.cpp: what the web app's static
// serving never answers). Any other path is a file of the web app (PILLIVERY_WEB_ROOT: the
// storefront's index.html, its hashed assets, robots.txt), which is not part of the API.
export const API_PREFIXES = ['/api', '/internal', '/health', '/metrics', '/docs', '/openapi.json', '/images'];

function isApiPath(path) {
  return API_PREFIXES.some((p) => path === p || path.startsWith(p + '/'));
}

function segments(path) {
  return path.split('/').slice(1);
}

export class ContractChecker {
  constructor(document) {
    this.document = document;
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOC_ID, components: rebase(document.components ?? {}) });
    this.validators = new Map();
    this.operations = [];
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const [method, operation] of Object.entries(item)) {
        this.operations.push({ method: method.toUpperCase(), path, segments: segments(path), operation });
      }
    }
    this.seen = new Set();  // "METHOD path status" pairs exercised
    this.webAppAnswers = 0;  // answers of the web app's files, outside the API: not checked
  }

  // The operation of a request, as the server's router picks it: literal segments beat
  // parameters, earlier segments first.
  find(method, target) {
    const path = target.split('?')[0];
    const parts = segments(path);
    const wanted = method === 'HEAD' ? 'GET' : method;
    let best = null;
    let pathKnown = false;
    for (const candidate of this.operations) {
      if (candidate.segments.length !== parts.length) continue;
      const fits = candidate.segments.every((s, i) => (s.startsWith('{') && s.endsWith('}') ? parts[i] !== '' : s === parts[i]));
      if (!fits) continue;
      pathKnown = true;
      if (candidate.method !== wanted) continue;
      if (!best || moreSpecific(candidate.segments, best.segments)) best = candidate;
    }
    return { operation: best, pathKnown };
  }

  validator(key, schema) {
    if (!this.validators.has(key)) this.validators.set(key, this.ajv.compile(rebase(schema)));
    return this.validators.get(key);
  }

  // A list of failures (empty when the answer keeps the contract).
  check(record) {
    const { method, target, status } = record;
    const contentType = (record.contentType ?? '').split(';')[0].trim().toLowerCase();
    let raw = Buffer.from(record.body ?? '', 'base64');
    if (record.contentEncoding === 'gzip' && raw.length) raw = gunzipSync(raw);
    const text = method === 'HEAD' ? '' : raw.toString('utf8');
    const { operation: found, pathKnown } = this.find(method, target);
    if (!found && !isApiPath(target.split('?')[0])) {
      this.webAppAnswers += 1;
      return [];
    }
    if (!found) {
      // No operation: only the router's own problems may answer.
      const expected = pathKnown ? [405, 'METHOD_NOT_ALLOWED'] : [404, 'ROUTE_NOT_FOUND'];
      if (status === expected[0] || (status === 400 && !pathKnown)) {
        return this.checkBody('router-problem', { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
          contentType, text, `${method} ${target}`);
      }
      return [`${method} ${target}: no operation in the document answers this (status ${status})`];
    }
    const where = `${found.method} ${found.path}`;
    const responses = found.operation.responses ?? {};
    const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    if (!response) return [`${where}: status ${status} is not declared (declared: ${Object.keys(responses).join(', ')})`];
    this.seen.add(`${where} ${status}`);
    return this.checkBody(`${where} ${status}`, response, contentType, text, where + ' ' + status);
  }

  checkBody(key, response, contentType, text, where) {
    const content = response.content;
    if (!content) {
      return text.length ? [`${where}: declares no body but got ${text.length} bytes (${contentType || 'no type'})`] : [];
    }
    const declared = Object.keys(content);
    const media = declared.find((d) => d.toLowerCase() === contentType);
    if (!media) return [`${where}: content type "${contentType}" is not declared (declared: ${declared.join(', ')})`];
    if (!/[/+]json$/.test(media)) return [];
    let body;
    try {
      body = JSON.parse(text);
    } catch (e) {
      return [`${where}: body is not JSON (${e.message})`];
    }
    const schema = content[media].schema;
    if (!schema) return [];
    const validate = this.validator(`${key} ${media}`, schema);
    if (validate(body)) return [];
    return validate.errors.slice(0, 8).map((e) =>
      `${where}: body${e.instancePath || ''} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''} (schema ${e.schemaPath})`);
  }
}

function moreSpecific(a, b) {
  for (let i = 0; i < a.length && i < b.length; i += 1) {
    const ap = a[i].startsWith('{');
    const bp = b[i].startsWith('{');
    if (ap !== bp) return !ap;
  }
  return false;
}
