import type { Order } from '../api/types';
import { ORDER_STATUS, krw } from '../format';
import { Link } from '../router';
import { ActionError, Loaded, useAction, useApi } from '../ui';
import { startPayment } from './CheckoutPage';

const TITLES: Record<string, string> = {
  approved: '결제가 완료되었습니다',
  cancelled: '결제를 취소했습니다',
  failed: '결제에 실패했습니다',
};

export function PaymentResultPage({ query }: { query: URLSearchParams }) {
  const orderId = Number(query.get('orderId'));
  const result = query.get('result') ?? '';
  const order = useApi<{ data: Order }>(orderId > 0 ? `/api/orders/${orderId}` : null);
  const retry = useAction();
  return (
    <div className="narrow result">
      <h1>{TITLES[result] ?? '결제 결과'}</h1>
      {result !== 'approved' && <p>주문은 결제 대기 상태로 남아 있으며, 30분 안에 다시 결제할 수 있습니다.</p>}
      <Loaded state={order}>
        {({ data }) => (
          <>
            <p>
              주문번호 <strong>{data.orderId}</strong> · {ORDER_STATUS[data.status]} · {krw(data.totalPrice)}
            </p>
            {data.type === 'SUBSCRIPTION' && data.status === 'PAID' && (
              <p>
                정기배송이 시작되었습니다. <Link href="/my/subscriptions">정기배송 관리</Link>
              </p>
            )}
            {data.status === 'PENDING_PAYMENT' && (
              <button type="button" className="primary" disabled={retry.pending} onClick={() => retry.run(() => startPayment(data.orderId))}>
                다시 결제하기
              </button>
            )}
            <ActionError error={retry.error} />
            <p>
              <Link href={`/my/orders/${data.orderId}`}>주문 상세 보기</Link>
            </p>
          </>
        )}
      </Loaded>
    </div>
  );
}
