import { api } from '../api/client';
import type { Order, Page } from '../api/types';
import { ORDER_STATUS, dateTime, krw } from '../format';
import { Link, navigate, qs } from '../router';
import { ActionError, Loaded, Pager, useAction, useApi } from '../ui';
import { startPayment } from './CheckoutPage';

export function OrdersPage({ query }: { query: URLSearchParams }) {
  const status = query.get('status') ?? '';
  const page = Number(query.get('page') ?? 1) || 1;
  const orders = useApi<Page<Order>>(`/api/orders${qs({ status, page, size: 10 })}`);
  return (
    <>
      <h1>주문 내역</h1>
      <div className="field inline">
        <label htmlFor="o-status">상태</label>
        <select id="o-status" value={status} onChange={(e) => navigate(`/my/orders${qs({ status: e.target.value })}`)}>
          <option value="">전체</option>
          {Object.entries(ORDER_STATUS).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <Loaded state={orders}>
        {(p) => (
          <>
            {p.data.length === 0 && <p className="notice">주문 내역이 없습니다.</p>}
            <ul className="lines">
              {p.data.map((o) => (
                <li key={o.orderId} className="line">
                  <div className="grow">
                    <Link href={`/my/orders/${o.orderId}`}>
                      주문 {o.orderId} · {o.lines[0]?.productName}
                      {o.lines.length > 1 ? ` 외 ${o.lines.length - 1}건` : ''}
                    </Link>
                    <p className="muted">
                      {dateTime(o.createdAt)} · {o.type === 'SUBSCRIPTION' ? '정기배송' : '일반'}
                    </p>
                  </div>
                  <span className={`status s-${o.status}`}>{ORDER_STATUS[o.status]}</span>
                  <strong>{krw(o.totalPrice)}</strong>
                </li>
              ))}
            </ul>
            <Pager info={p.pageInfo} href={(n) => `/my/orders${qs({ status, page: n })}`} />
          </>
        )}
      </Loaded>
    </>
  );
}

export function OrderPage({ id }: { id: number }) {
  const order = useApi<{ data: Order }>(`/api/orders/${id}`);
  const action = useAction();
  const cancel = async (o: Order) => {
    const text = o.status === 'PAID' ? '주문을 취소하고 전액 환불할까요?' : '주문을 취소할까요?';
    if (!confirm(text)) return;
    const r = await action.run(() => api<{ data: Order }>(`/api/orders/${o.orderId}/cancel`, { method: 'POST' }));
    if (r) order.setData(r);
    else order.reload();
  };
  return (
    <Loaded state={order}>
      {({ data: o }) => (
        <div className="narrow">
          <h1>주문 {o.orderId}</h1>
          <p>
            <span className={`status s-${o.status}`}>{ORDER_STATUS[o.status]}</span> · {o.type === 'SUBSCRIPTION' ? '정기배송 주문' : '일반 주문'} ·{' '}
            {dateTime(o.createdAt)}
          </p>
          <ul className="lines compact">
            {o.lines.map((l) => (
              <li key={l.itemId}>
                <Link href={`/items/${l.itemId}`}>{l.productName}</Link> × {l.quantity}
                {l.period ? ` · ${l.period}일마다` : ''} <strong>{krw(l.lineTotal)}</strong>
                {['PAID', 'SHIPPED', 'DELIVERED'].includes(o.status) && (
                  <>
                    {' '}
                    <Link href={`/items/${l.itemId}#reviews`}>리뷰 쓰기</Link>
                  </>
                )}
              </li>
            ))}
          </ul>
          <dl className="summary">
            <div>
              <dt>상품 금액</dt>
              <dd>{krw(o.totalOriginPrice)}</dd>
            </div>
            <div>
              <dt>할인</dt>
              <dd>-{krw(o.totalDiscountPrice)}</dd>
            </div>
            <div className="grand">
              <dt>결제 금액</dt>
              <dd>{krw(o.totalPrice)}</dd>
            </div>
            {o.payment && o.payment.refundedAmount > 0 && (
              <div>
                <dt>환불 금액</dt>
                <dd>{krw(o.payment.refundedAmount)}</dd>
              </div>
            )}
          </dl>
          <h2>배송지</h2>
          <p>
            {o.receiver.name} · {o.receiver.phone}
            <br />
            {o.receiver.city} {o.receiver.detailAddress}
          </p>
          {o.shipment && (
            <>
              <h2>배송 조회</h2>
              <p>
                {o.shipment.carrier} 운송장 <strong>{o.shipment.trackingNumber}</strong> · 발송 {dateTime(o.shipment.shippedAt)}
                {o.shipment.deliveredAt && ` · 도착 ${dateTime(o.shipment.deliveredAt)}`}
              </p>
            </>
          )}
          <h2>진행 내역</h2>
          <ol className="history">
            {o.statusHistory.map((h, i) => (
              <li key={i}>
                {ORDER_STATUS[h.status] ?? h.status} <span className="muted">{dateTime(h.at)}</span>
              </li>
            ))}
          </ol>
          <div className="row">
            {o.status === 'PENDING_PAYMENT' && (
              <button type="button" className="primary" onClick={() => action.run(() => startPayment(o.orderId))}>
                결제하기
              </button>
            )}
            {(o.status === 'PENDING_PAYMENT' || o.status === 'PAID') && (
              <button type="button" className="danger" onClick={() => cancel(o)} disabled={action.pending}>
                주문 취소
              </button>
            )}
          </div>
          <ActionError error={action.error} />
        </div>
      )}
    </Loaded>
  );
}
