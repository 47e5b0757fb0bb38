import { Component, Suspense, lazy, useState, type ReactNode, type FormEvent } from 'react';
import { api, setTokens, tokens } from './api/client';
import { Link, match, navigate, useLocation } from './router';
import { useSession } from './ui';
import { HomePage } from './pages/HomePage';
import { SearchPage } from './pages/SearchPage';
import { ItemPage } from './pages/ItemPage';
import { LoginPage, SignUpPage, OAuthCallbackPage } from './pages/AuthPages';
import { ProfilePage } from './pages/ProfilePage';
import { CartPage } from './pages/CartPage';
import { CheckoutPage } from './pages/CheckoutPage';
import { PaymentResultPage } from './pages/PaymentResultPage';
import { OrdersPage, OrderPage } from './pages/OrderPages';

// The subscription portal and the admin console load on first use.
const SubscriptionsPage = lazy(() => import('./pages/SubscriptionPages').then((m) => ({ default: m.SubscriptionsPage })));
const SubscriptionPage = lazy(() => import('./pages/SubscriptionPages').then((m) => ({ default: m.SubscriptionPage })));
const AdminApp = lazy(() => import('./admin/AdminApp'));

type Route = [pattern: string, render: (params: Record<string, string>, query: URLSearchParams) => ReactNode];

const routes: Route[] = [
  ['/', () => <HomePage />],
  ['/search', (_, q) => <SearchPage query={q} />],
  ['/category/:code', (p, q) => <SearchPage query={q} category={p.code} />],
  ['/items/:id', (p, q) => <ItemPage id={Number(p.id)} query={q} />],
  ['/login', (_, q) => <LoginPage next={q.get('next')} />],
  ['/signup', () => <SignUpPage />],
  ['/oauth/:provider/callback', (p, q) => <OAuthCallbackPage provider={p.provider} query={q} />],
  ['/me', () => <ProfilePage />],
  ['/cart', (_, q) => <CartPage kind={q.get('kind') === 'subscription' ? 'subscription' : 'normal'} />],
  ['/checkout', (_, q) => <CheckoutPage kind={q.get('kind') === 'subscription' ? 'subscription' : 'normal'} />],
  ['/payment/result', (_, q) => <PaymentResultPage query={q} />],
  ['/my/orders', (_, q) => <OrdersPage query={q} />],
  ['/my/orders/:id', (p) => <OrderPage id={Number(p.id)} />],
  ['/my/subscriptions', (_, q) => <SubscriptionsPage query={q} />],
  ['/my/subscriptions/:id', (p) => <SubscriptionPage id={Number(p.id)} />],
];

function Page({ path, query }: { path: string; query: URLSearchParams }) {
  if (path === '/admin' || path.startsWith('/admin/')) return <AdminApp path={path} query={query} />;
  for (const [pattern, render] of routes) {
    const params = match(pattern, path);
    if (params) return <>{render(params, query)}</>;
  }
  return (
    <div className="notice">
      <h1>페이지를 찾을 수 없습니다</h1>
      <Link href="/">홈으로</Link>
    </div>
  );
}

/** A render error never leaves a blank page. */
class Boundary extends Component<{ children: ReactNode; resetKey: string }, { failed: boolean; key: string }> {
  state = { failed: false, key: this.props.resetKey };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { failed: boolean; key: string }) {
    return props.resetKey !== state.key ? { failed: false, key: props.resetKey } : null;
  }
  render() {
    if (this.state.failed)
      return (
        <div className="notice error" role="alert">
          <p>페이지를 표시하지 못했습니다.</p>
          <button type="button" onClick={() => location.reload()}>
            다시 시도
          </button>
        </div>
      );
    return this.props.children;
  }
}

function Header() {
  const { profile } = useSession();
  const [keyword, setKeyword] = useState('');
  const search = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/search?keyword=${encodeURIComponent(keyword.trim())}`);
  };
  const logout = async () => {
    const pair = tokens();
    try {
      await api('/api/auth/logout', { method: 'POST', body: pair ? { refreshToken: pair.refreshToken } : undefined });
    } catch {
      /* the session ends here whatever the server answered */
    }
    setTokens(null);
    navigate('/');
  };
  return (
    <header className="site">
      <div className="bar">
        <Link href="/" className="logo" aria-label="필리버리 홈">
          필리버리
        </Link>
        <form role="search" onSubmit={search} className="searchbox">
          <label htmlFor="q" className="sr-only">
            상품 검색
          </label>
          <input id="q" type="search" placeholder="영양제 검색 (예: 루테인)" value={keyword} onChange={(e) => setKeyword(e.target.value)} />
          <button type="submit">검색</button>
        </form>
      </div>
      <nav className="menu" aria-label="주 메뉴">
        <Link href="/search">전체 상품</Link>
        <Link href="/cart">장바구니</Link>
        <Link href="/cart?kind=subscription">정기배송 담기</Link>
        {profile ? (
          <>
            <Link href="/my/orders">주문 내역</Link>
            <Link href="/my/subscriptions">정기배송 관리</Link>
            <Link href="/me">{profile.displayName}님</Link>
            {profile.roles.includes('ADMIN') && <Link href="/admin">관리자</Link>}
            <button type="button" className="linklike" onClick={logout}>
              로그아웃
            </button>
          </>
        ) : (
          <>
            <Link href="/login">로그인</Link>
            <Link href="/signup">회원가입</Link>
          </>
        )}
      </nav>
    </header>
  );
}

export function App() {
  const loc = useLocation();
  return (
    <>
      <a className="skip" href="#main">
        본문 바로가기
      </a>
      <Header />
      <main id="main">
        <Boundary resetKey={loc.href}>
          <Suspense fallback={<p className="loading">불러오는 중…</p>}>
            <Page path={loc.path} query={loc.query} />
          </Suspense>
        </Boundary>
      </main>
      <footer className="site">
        <p>필리버리 · 건강기능식품 정기배송 · 고객센터 1588-0000</p>
        <p className="muted">건강기능식품은 질병의 예방 및 치료를 위한 의약품이 아닙니다.</p>
      </footer>
    </>
  );
}
