import { api } from '../api/client';
import type { Cart, CartKind, CartLine } from '../api/types';
import { krw } from '../format';
import { Link } from '../router';
import { ActionError, Loaded, useAction, useApi } from '../ui';

export function CartPage({ kind }: { kind: CartKind }) {
  const cart = useApi<{ data: Cart }>(`/api/carts/${kind}`);
  const action = useAction();
  const change = async (line: CartLine, patch: { quantity?: number; period?: number }) => {
    const r = await action.run(() => api<{ data: Cart }>(`/api/carts/${kind}/items/${line.itemId}`, { method: 'PATCH', body: patch }));
    if (r) cart.setData(r);
  };
  const remove = async (line: CartLine) => {
    const r = await action.run(() => api<{ data: Cart }>(`/api/carts/${kind}/items/${line.itemId}`, { method: 'DELETE' }));
    if (r) cart.setData(r);
  };
  return (
    <>
      <h1>{kind === 'normal' ? '장바구니' : '정기배송 장바구니'}</h1>
      <nav className="tabs" aria-label="장바구니 종류">
        <Link href="/cart" aria-current={kind === 'normal' ? 'page' : undefined}>
          일반 구매
        </Link>
        <Link href="/cart?kind=subscription" aria-current={kind === 'subscription' ? 'page' : undefined}>
          정기배송
        </Link>
      </nav>
      <ActionError error={action.error} />
      <Loaded state={cart}>
        {({ data }) =>
          data.lines.length === 0 ? (
            <p className="notice">
              담긴 상품이 없습니다. <Link href="/search">상품 보러 가기</Link>
            </p>
          ) : (
            <>
              <ul className="lines">
                {data.lines.map((line) => (
                  <li key={line.itemId} className="line">
                    <img src={line.thumbnailUrl} alt="" width="72" height="72" />
                    <div className="grow">
                      <Link href={`/items/${line.itemId}`}>{line.productName}</Link>
                      <p className="muted">
                        {krw(line.unitRealPrice)}
                        {line.unitOriginPrice !== line.unitRealPrice && <del> {krw(line.unitOriginPrice)}</del>}
                        {!line.inStock && <span className="badge">품절</span>}
                      </p>
                    </div>
                    <div className="field inline">
                      <label htmlFor={`q-${line.itemId}`}>수량</label>
                      <select id={`q-${line.itemId}`} value={line.quantity} onChange={(e) => change(line, { quantity: Number(e.target.value) })}>
                        {Array.from({ length: Math.max(10, line.quantity) }, (_, i) => i + 1).map((n) => (
                          <option key={n}>{n}</option>
                        ))}
                      </select>
                    </div>
                    {kind === 'subscription' && (
                      <div className="field inline">
                        <label htmlFor={`p-${line.itemId}`}>주기</label>
                        <select id={`p-${line.itemId}`} value={line.period} onChange={(e) => change(line, { period: Number(e.target.value) })}>
                          {periodOptions(line.period).map((d) => (
                            <option key={d} value={d}>
                              {d}일마다
                            </option>
                          ))}
                        </select>
                      </div>
                    )}
                    <strong className="total">{krw(line.lineTotal)}</strong>
                    <button type="button" onClick={() => remove(line)} aria-label={`${line.productName} 삭제`}>
                      삭제
                    </button>
                  </li>
                ))}
              </ul>
              <Summary totals={data} />
              <Link className="button primary wide" href={`/checkout${kind === 'subscription' ? '?kind=subscription' : ''}`}>
                {kind === 'subscription' ? '정기배송 주문하기' : '주문하기'}
              </Link>
            </>
          )
        }
      </Loaded>
    </>
  );
}

/** 7–180 days: the usual choices plus the line's own. */
export function periodOptions(current?: number): number[] {
  const set = new Set([7, 14, 30, 45, 60, 90, 120, 180]);
  if (current) set.add(current);
  return [...set].sort((a, b) => a - b);
}

export function Summary({ totals }: { totals: { itemCount: number; totalOriginPrice: number; totalDiscountPrice: number; totalPrice: number } }) {
  return (
    <dl className="summary">
      <div>
        <dt>상품 수</dt>
        <dd>{totals.itemCount}개</dd>
      </div>
      <div>
        <dt>상품 금액</dt>
        <dd>{krw(totals.totalOriginPrice)}</dd>
      </div>
      <div>
        <dt>할인</dt>
        <dd>-{krw(totals.totalDiscountPrice)}</dd>
      </div>
      <div className="grand">
        <dt>결제 금액</dt>
        <dd>{krw(totals.totalPrice)}</dd>
      </div>
    </dl>
  );
}
