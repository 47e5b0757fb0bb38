// fetch with the session's tokens: one refresh on 401, problem+json turned into
// ApiError (field errors kept for the forms), network failures into ApiError(0).
import type { Problem, TokenPair } from './types';

const TOKENS = 'pillivery.tokens';

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.status = problem.status;
    this.problem = problem;
  }
  /** A 5xx, a gateway timeout or no connection at all: worth retrying. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500;
  }
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) out[e.field] ??= e.reason;
    return out;
  }
}

type Listener = () => void;
const listeners = new Set<Listener>();
export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function tokens(): TokenPair | null {
  try {
    const text = localStorage.getItem(TOKENS);
    return text ? (JSON.parse(text) as TokenPair) : null;
  } catch {
    return null;
  }
}
export function setTokens(pair: TokenPair | null): void {
  if (pair) localStorage.setItem(TOKENS, JSON.stringify(pair));
  else localStorage.removeItem(TOKENS);
  listeners.forEach((l) => l());
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  raw?: Blob;
  contentType?: string;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

async function send(path: string, options: RequestOptions, access?: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (access) headers.Authorization = `Bearer ${access}`;
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  let body: BodyInit | undefined;
  if (options.raw) {
    body = options.raw;
    headers['Content-Type'] = options.contentType ?? options.raw.type;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  try {
    return await fetch(path, { method: options.method ?? 'GET', headers, body, signal: options.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'NETWORK', detail: '서버에 연결할 수 없습니다.' });
  }
}

let refreshing: Promise<boolean> | null = null;
async function refresh(): Promise<boolean> {
  const pair = tokens();
  if (!pair) return false;
  refreshing ??= (async () => {
    const r = await send('/api/auth/refresh', { method: 'POST', body: { refreshToken: pair.refreshToken } });
    if (!r.ok) {
      setTokens(null);
      return false;
    }
    const json = (await r.json()) as { data: TokenPair };
    setTokens(json.data);
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function problemOf(r: Response): Promise<ApiError> {
  let problem: Problem = { status: r.status };
  try {
    problem = { ...(await r.json()), status: r.status };
  } catch {
    /* not JSON (a proxy's error page): keep the status */
  }
  return new ApiError(problem);
}

/** Calls the API and returns its parsed JSON body (undefined for 204). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let r = await send(path, options, tokens()?.accessToken);
  if (r.status === 401 && tokens() && !path.startsWith('/api/auth/')) {
    if (await refresh()) r = await send(path, options, tokens()?.accessToken);
  }
  if (!r.ok) throw await problemOf(r);
  if (r.status === 204) return undefined as T;
  return (await r.json()) as T;
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
