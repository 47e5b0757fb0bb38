// Small shared pieces: data loading with retry, errors, item cards, paging, form fields.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, api, onSessionChange, tokens } from './api/client';
import type { ItemSummary, PageInfo, Profile } from './api/types';
import { krw } from './format';
import { Link } from './router';

export interface Async<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
  setData: (value: T) => void;
}

/** Loads `key`'s data (re-loads when key changes); errors are kept for <Failure>. */
export function useApi<T>(key: string | null, load?: (signal: AbortSignal) => Promise<T>): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: key !== null });
  const [tick, setTick] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState((s) => ({ data: s.data, loading: true }));
    const run = loader.current ?? ((signal: AbortSignal) => api<T>(key, { signal }));
    run(controller.signal).then(
      (data) => setState({ data, loading: false }),
      (error) => {
        if ((error as Error).name === 'AbortError') return;
        setState({ error: error instanceof ApiError ? error : new ApiError({ status: 0, detail: String(error) }), loading: false });
      },
    );
    return () => controller.abort();
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const setData = useCallback((data: T) => setState({ data, loading: false }), []);
  return { data: state.data, error: state.error, loading: state.loading, reload, setData };
}

export function Failure({ error, retry }: { error: ApiError; retry?: () => void }) {
  if (error.status === 404)
    return (
      <div className="notice" role="alert">
        <p>찾으시는 내용이 없습니다.</p>
        <Link href="/">홈으로</Link>
      </div>
    );
  if (error.status === 401)
    return (
      <div className="notice" role="alert">
        <p>로그인이 필요합니다.</p>
        <Link href={`/login?next=${encodeURIComponent(location.pathname + location.search)}`}>로그인</Link>
      </div>
    );
  return (
    <div className="notice error" role="alert">
      <p>
        {error.retryable
          ? '일시적인 문제로 정보를 불러오지 못했습니다. 잠시 후 다시 시도해 주세요.'
          : error.message}
      </p>
      {retry && (
        <button type="button" onClick={retry}>
          다시 시도
        </button>
      )}
    </div>
  );
}

/** Loading, error with retry, or the content. */
export function Loaded<T>({ state, children }: { state: Async<T>; children: (data: T) => ReactNode }) {
  if (state.error) return <Failure error={state.error} retry={state.reload} />;
  if (state.data === undefined) return <p className="loading" aria-busy="true">불러오는 중…</p>;
  return <>{children(state.data)}</>;
}

export function Stars({ value, count }: { value: number; count?: number }) {
  return (
    <span className="stars" aria-label={`별점 ${value.toFixed(1)}점${count !== undefined ? `, 리뷰 ${count}개` : ''}`}>
      <span aria-hidden="true">★</span> {value.toFixed(1)}
      {count !== undefined && <span className="muted"> ({count})</span>}
    </span>
  );
}

export function Price({ origin, rate, real }: { origin: number; rate: number; real: number }) {
  return (
    <span className="price">
      {rate > 0 && <span className="rate">{rate}%</span>}
      <strong>{krw(real)}</strong>
      {rate > 0 && (
        <del>
          <span className="sr-only">정가 </span>
          {krw(origin)}
        </del>
      )}
    </span>
  );
}

export function ItemCard({ item, eager }: { item: ItemSummary; eager?: boolean }) {
  return (
    <li className="card">
      <Link href={`/items/${item.itemId}`}>
        <img src={item.thumbnailUrl} alt="" width="240" height="240" loading={eager ? 'eager' : 'lazy'} />
        <span className="brand">{item.enterprise}</span>
        <span className="name">{item.productName}</span>
      </Link>
      <Price origin={item.originPrice} rate={item.discountRate} real={item.realPrice} />
      <span className="meta">
        <Stars value={item.starAvg} count={item.reviewCount} />
        {!item.inStock && <span className="badge">품절</span>}
      </span>
    </li>
  );
}

export function ItemGrid({ items, eager = 0 }: { items: ItemSummary[]; eager?: number }) {
  if (items.length === 0) return <p className="muted">상품이 없습니다.</p>;
  return (
    <ul className="grid">
      {items.map((item, i) => (
        <ItemCard key={item.itemId} item={item} eager={i < eager} />
      ))}
    </ul>
  );
}

export function Pager({ info, href }: { info: PageInfo; href: (page: number) => string }) {
  if (info.totalPages <= 1) return null;
  const pages: number[] = [];
  const from = Math.max(1, info.page - 2);
  const to = Math.min(info.totalPages, from + 4);
  for (let p = from; p <= to; p++) pages.push(p);
  return (
    <nav className="pager" aria-label="페이지">
      {info.page > 1 && <Link href={href(info.page - 1)}>이전</Link>}
      {pages.map((p) =>
        p === info.page ? (
          <span key={p} aria-current="page">
            {p}
          </span>
        ) : (
          <Link key={p} href={href(p)} aria-label={`${p} 페이지`}>
            {p}
          </Link>
        ),
      )}
      {info.page < info.totalPages && <Link href={href(info.page + 1)}>다음</Link>}
    </nav>
  );
}

export function Field({
  label,
  name,
  error,
  ...input
}: React.InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; error?: string }) {
  const id = `f-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-e` : undefined} {...input} />
      {error && (
        <span className="field-error" id={`${id}-e`} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

// One /api/users/me request per session, shared by every component that asks.
let profileCache: { token: string; promise: Promise<{ data: Profile }> } | null = null;
function loadProfile(signal: AbortSignal): Promise<{ data: Profile }> {
  const token = tokens()?.accessToken ?? '';
  if (!profileCache || profileCache.token !== token) {
    const promise = api<{ data: Profile }>('/api/users/me');
    profileCache = { token, promise };
    promise.catch(() => {
      if (profileCache?.promise === promise) profileCache = null;
    });
  }
  const shared = profileCache.promise;
  return new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    shared.then(resolve, reject);
  });
}
let profileVersion = 0;
const profileListeners = new Set<() => void>();
/** Forget the cached profile (after the user changed it): every useSession reloads it. */
export function profileChanged(): void {
  profileCache = null;
  profileVersion++;
  profileListeners.forEach((l) => l());
}

/** The signed-in user's profile (undefined while loading), or null; follows login and logout. */
export function useSession(): { profile: Profile | null | undefined; reload: () => void } {
  const [session, setSession] = useState(() => tokens()?.accessToken ?? null);
  const [version, setVersion] = useState(profileVersion);
  useEffect(() => onSessionChange(() => setSession(tokens()?.accessToken ?? null)), []);
  useEffect(() => {
    const listener = () => setVersion(profileVersion);
    profileListeners.add(listener);
    return () => {
      profileListeners.delete(listener);
    };
  }, []);
  const me = useApi<{ data: Profile }>(session ? `/api/users/me#${session.slice(-12)}.${version}` : null, loadProfile);
  if (!session) return { profile: null, reload: me.reload };
  if (me.error?.status === 401) return { profile: null, reload: me.reload };
  return { profile: me.data?.data, reload: me.reload };
}

/** A form action's state: pending flag, error and field errors of its last run. */
export function useAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setPending(true);
    setError(null);
    try {
      return await action();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError({ status: 0, detail: String(e) }));
      return undefined;
    } finally {
      setPending(false);
    }
  }, []);
  return { pending, error, fields: error?.fieldErrors() ?? {}, run, clear: () => setError(null) };
}

export function ActionError({ error }: { error: ApiError | null }) {
  if (!error) return null;
  const text = error.retryable
    ? '일시적인 문제로 요청을 처리하지 못했습니다. 다시 시도해 주세요.'
    : error.problem.errors?.length
      ? '입력한 내용을 확인해 주세요.'
      : error.message;
  return (
    <p className="form-error" role="alert">
      {text}
    </p>
  );
}
