import { useEffect, useState, type FormEvent } from 'react';
import { api, newIdempotencyKey } from '../api/client';
import type { Cart, CartKind, Order, PaymentReady, Receiver } from '../api/types';
import { krw } from '../format';
import { ActionError, Field, Loaded, useAction, useApi, useSession } from '../ui';
import { Summary } from './CartPage';

/** Asks KakaoPay (the simulator locally) for a payment and goes to its page. */
export async function startPayment(orderId: number): Promise<void> {
  const r = await api<{ data: PaymentReady }>(`/api/orders/${orderId}/payment`, {
    method: 'POST',
    body: { provider: 'KAKAOPAY' },
    idempotencyKey: newIdempotencyKey(),
  });
  const mobile = matchMedia('(max-width: 640px)').matches;
  location.assign(mobile ? r.data.redirectUrl.mobile : r.data.redirectUrl.pc);
}

export function CheckoutPage({ kind }: { kind: CartKind }) {
  const cart = useApi<{ data: Cart }>(`/api/carts/${kind}`);
  const { profile } = useSession();
  const [receiver, setReceiver] = useState<Receiver>({ name: '', phone: '', city: '', detailAddress: '' });
  useEffect(() => {
    if (profile) setReceiver((r) => (r.name ? r : { name: profile.realName, phone: profile.phone ?? '', city: profile.city, detailAddress: profile.detailAddress }));
  }, [profile]);
  const action = useAction();
  const [key] = useState(newIdempotencyKey);
  const set = (k: keyof Receiver) => (e: React.ChangeEvent<HTMLInputElement>) => setReceiver((r) => ({ ...r, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await action.run(async () => {
      const order = await api<{ data: Order }>('/api/orders', {
        method: 'POST',
        body: { type: kind === 'subscription' ? 'SUBSCRIPTION' : 'ONE_TIME', fromCart: true, receiver },
        idempotencyKey: key,
      });
      await startPayment(order.data.orderId);
    });
  };
  const fieldError = (k: string) => action.fields[`receiver.${k}`] ?? action.fields[k];
  return (
    <div className="narrow">
      <h1>{kind === 'subscription' ? '정기배송 주문' : '주문/결제'}</h1>
      <Loaded state={cart}>
        {({ data }) => (
          <>
            <ul className="lines compact">
              {data.lines.map((l) => (
                <li key={l.itemId}>
                  {l.productName} × {l.quantity}
                  {l.period ? ` · ${l.period}일마다` : ''} <strong>{krw(l.lineTotal)}</strong>
                </li>
              ))}
            </ul>
            <Summary totals={data} />
            {kind === 'subscription' && <p className="muted">첫 결제 후 주기마다 같은 결제수단(카카오페이)으로 자동 결제됩니다.</p>}
          </>
        )}
      </Loaded>
      <form onSubmit={submit} noValidate aria-label="배송지">
        <h2>배송지</h2>
        <Field label="받는 분" name="name" value={receiver.name} onChange={set('name')} error={fieldError('name')} />
        <Field label="연락처" name="phone" type="tel" value={receiver.phone} onChange={set('phone')} error={fieldError('phone')} />
        <Field label="시/도" name="city" value={receiver.city} onChange={set('city')} error={fieldError('city')} />
        <Field label="상세 주소" name="detailAddress" value={receiver.detailAddress} onChange={set('detailAddress')} error={fieldError('detailAddress')} />
        {action.error?.problem.code === 'OUT_OF_STOCK' ? (
          <p className="form-error" role="alert">
            재고가 부족한 상품이 있습니다. 장바구니를 확인해 주세요.
          </p>
        ) : (
          <ActionError error={action.error} />
        )}
        <button type="submit" className="primary wide kakaopay" disabled={action.pending || !cart.data?.data.lines.length}>
          카카오페이로 결제하기
        </button>
      </form>
    </div>
  );
}
