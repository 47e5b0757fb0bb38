// The subscription portal: next charge, skip, pause/resume, period, quantity,
// delivery address, cancel with a reason, charge history and the past-due state.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Charge, Page, Receiver, Subscription } from '../api/types';
import { CHARGE_RESULT, SUBSCRIPTION_STATUS, date, dateTime, krw } from '../format';
import { Link, navigate, qs } from '../router';
import { ActionError, Field, Loaded, Pager, useAction, useApi } from '../ui';
import { periodOptions } from './CartPage';

export function SubscriptionsPage({ query }: { query: URLSearchParams }) {
  const status = query.get('status') ?? '';
  const page = Number(query.get('page') ?? 1) || 1;
  const subs = useApi<Page<Subscription>>(`/api/subscriptions${qs({ status, page, size: 10 })}`);
  return (
    <>
      <h1>정기배송 관리</h1>
      <div className="field inline">
        <label htmlFor="sub-status">상태</label>
        <select id="sub-status" value={status} onChange={(e) => navigate(`/my/subscriptions${qs({ status: e.target.value })}`)}>
          <option value="">전체</option>
          {Object.entries(SUBSCRIPTION_STATUS).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <Loaded state={subs}>
        {(p) => (
          <>
            {p.data.length === 0 && (
              <p className="notice">
                정기배송 중인 상품이 없습니다. <Link href="/search">상품 보러 가기</Link>
              </p>
            )}
            <ul className="lines">
              {p.data.map((s) => (
                <li key={s.subscriptionId} className={`line sub s-${s.status}`}>
                  <img src={`/images/items/${s.itemId}.svg`} alt="" width="72" height="72" />
                  <div className="grow">
                    <Link href={`/my/subscriptions/${s.subscriptionId}`}>{s.productName}</Link>
                    <p className="muted">
                      {s.quantity}개 · {s.period}일마다
                      {(s.status === 'ACTIVE' || s.status === 'PAST_DUE') && ` · 다음 결제 ${date(s.nextPaymentDate)} ${krw(s.upcomingAmount)}`}
                    </p>
                  </div>
                  <span className={`status s-${s.status}`}>{SUBSCRIPTION_STATUS[s.status]}</span>
                </li>
              ))}
            </ul>
            <Pager info={p.pageInfo} href={(n) => `/my/subscriptions${qs({ status, page: n })}`} />
          </>
        )}
      </Loaded>
    </>
  );
}

export function SubscriptionPage({ id }: { id: number }) {
  const sub = useApi<{ data: Subscription }>(`/api/subscriptions/${id}`);
  return <Loaded state={sub}>{({ data }) => <Portal sub={data} onChange={(s) => sub.setData({ data: s })} reload={sub.reload} />}</Loaded>;
}

function Portal({ sub, onChange, reload }: { sub: Subscription; onChange: (s: Subscription) => void; reload: () => void }) {
  const action = useAction();
  const [message, setMessage] = useState('');
  const act = async (path: string, done: string, body?: unknown) => {
    setMessage('');
    const r = await action.run(() => api<{ data: Subscription }>(`/api/subscriptions/${sub.subscriptionId}${path}`, { method: 'POST', body }));
    if (r) {
      onChange(r.data);
      setMessage(done);
    } else reload();
  };
  const live = sub.status === 'ACTIVE' || sub.status === 'PAUSED' || sub.status === 'PAST_DUE';
  return (
    <div className="narrow portal">
      <p>
        <Link href="/my/subscriptions">← 정기배송 목록</Link>
      </p>
      <h1>{sub.productName}</h1>
      <p>
        <span className={`status s-${sub.status}`}>{SUBSCRIPTION_STATUS[sub.status]}</span> · {sub.quantity}개 · {sub.period}일마다 ·{' '}
        <Link href={`/items/${sub.itemId}`}>상품 보기</Link>
      </p>
      <StatusPanel sub={sub} />
      {message && (
        <p role="status" className="ok">
          {message}
        </p>
      )}
      <ActionError error={action.error} />
      {(sub.status === 'ACTIVE' || sub.status === 'PAUSED') && (
        <section aria-labelledby="actions" className="actions">
          <h2 id="actions">배송 일정</h2>
          <div className="row">
            {sub.status === 'ACTIVE' && (
              <button type="button" disabled={action.pending} onClick={() => act('/skip', '다음 배송을 건너뛰었습니다.')}>
                다음 배송 건너뛰기
              </button>
            )}
            {sub.status === 'ACTIVE' && (
              <button type="button" disabled={action.pending} onClick={() => act('/pause', '정기배송을 일시정지했습니다.')}>
                일시정지
              </button>
            )}
            {sub.status === 'PAUSED' && (
              <button type="button" className="primary" disabled={action.pending} onClick={() => act('/resume', '정기배송을 다시 시작했습니다.')}>
                다시 시작
              </button>
            )}
          </div>
        </section>
      )}
      {live && <PlanForm sub={sub} onChange={onChange} />}
      {live && sub.deliveryAddress && <AddressForm sub={sub} onChange={onChange} />}
      {live && <CancelForm sub={sub} onCancel={(reason) => act('/cancel', '정기배송을 해지했습니다.', reason ? { reason } : undefined)} pending={action.pending} />}
      {sub.status === 'CANCELLED' && sub.cancelReason && <p className="muted">해지 사유: {sub.cancelReason}</p>}
      <Charges id={sub.subscriptionId} />
    </div>
  );
}

function StatusPanel({ sub }: { sub: Subscription }) {
  switch (sub.status) {
    case 'ACTIVE':
      return (
        <dl className="summary next">
          <div>
            <dt>다음 결제일</dt>
            <dd>{date(sub.nextPaymentDate)}</dd>
          </div>
          <div className="grand">
            <dt>다음 결제 금액</dt>
            <dd>{krw(sub.upcomingAmount)}</dd>
          </div>
          <div>
            <dt>마지막 결제일</dt>
            <dd>{date(sub.lastPaidDate)}</dd>
          </div>
        </dl>
      );
    case 'PAUSED':
      return <p className="notice">일시정지 중입니다. 다시 시작하기 전까지 결제와 배송이 없습니다.</p>;
    case 'PAST_DUE':
      return (
        <div className="notice warn" role="alert">
          <p>
            <strong>{date(sub.nextPaymentDate)} 결제가 승인되지 않았습니다.</strong> ({krw(sub.upcomingAmount)})
          </p>
          <p>
            결제일로부터 1일, 3일, 5일 뒤에 자동으로 다시 결제를 시도합니다
            {sub.nextAttemptDate ? ` (다음 시도: ${date(sub.nextAttemptDate)})` : ''}. 카카오페이 결제수단의 잔액·한도를 확인해 주세요.
            마지막 시도까지 실패하면 정기배송이 종료됩니다.
          </p>
        </div>
      );
    case 'PAYMENT_FAILED':
      return (
        <div className="notice error" role="alert">
          <p>결제가 계속 실패하여 정기배송이 종료되었습니다. 상품 페이지에서 새로 정기배송을 신청할 수 있습니다.</p>
        </div>
      );
    case 'CANCELLED':
      return <p className="notice">해지된 정기배송입니다.</p>;
  }
}

function PlanForm({ sub, onChange }: { sub: Subscription; onChange: (s: Subscription) => void }) {
  const [period, setPeriod] = useState(sub.period);
  const [quantity, setQuantity] = useState(sub.quantity);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const r = await action.run(() => api<{ data: Subscription }>(`/api/subscriptions/${sub.subscriptionId}`, { method: 'PATCH', body: { period, quantity } }));
    if (r) {
      onChange(r.data);
      setSaved(true);
    }
  };
  return (
    <form onSubmit={submit} aria-labelledby="plan">
      <h2 id="plan">주기와 수량</h2>
      <div className="row">
        <div className="field">
          <label htmlFor="plan-period">배송 주기</label>
          <select id="plan-period" value={period} onChange={(e) => setPeriod(Number(e.target.value))}>
            {periodOptions(sub.period).map((d) => (
              <option key={d} value={d}>
                {d}일마다
              </option>
            ))}
          </select>
          {action.fields.period && <span className="field-error">{action.fields.period}</span>}
        </div>
        <Field label="수량" name="plan-quantity" type="number" min={1} max={99} value={quantity} onChange={(e) => setQuantity(Number(e.target.value))} error={action.fields.quantity} />
      </div>
      <ActionError error={action.error} />
      {saved && (
        <p role="status" className="ok">
          변경했습니다. 다음 결제일: {date(sub.nextPaymentDate)}
        </p>
      )}
      <button type="submit" disabled={action.pending}>
        변경 저장
      </button>
    </form>
  );
}

function AddressForm({ sub, onChange }: { sub: Subscription; onChange: (s: Subscription) => void }) {
  const [address, setAddress] = useState<Receiver>(sub.deliveryAddress!);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const set = (k: keyof Receiver) => (e: React.ChangeEvent<HTMLInputElement>) => setAddress((a) => ({ ...a, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const r = await action.run(() =>
      api<{ data: Subscription }>(`/api/subscriptions/${sub.subscriptionId}`, { method: 'PATCH', body: { deliveryAddress: address } }),
    );
    if (r) {
      onChange(r.data);
      setSaved(true);
    }
  };
  const err = (k: string) => action.fields[`deliveryAddress.${k}`] ?? action.fields[k];
  return (
    <form onSubmit={submit} noValidate aria-labelledby="addr">
      <h2 id="addr">배송지</h2>
      <Field label="받는 분" name="addr-name" value={address.name} onChange={set('name')} error={err('name')} />
      <Field label="연락처" name="addr-phone" type="tel" value={address.phone} onChange={set('phone')} error={err('phone')} />
      <Field label="시/도" name="addr-city" value={address.city} onChange={set('city')} error={err('city')} />
      <Field label="상세 주소" name="addr-detail" value={address.detailAddress} onChange={set('detailAddress')} error={err('detailAddress')} />
      <ActionError error={action.error} />
      {saved && (
        <p role="status" className="ok">
          배송지를 변경했습니다. 다음 배송부터 적용됩니다.
        </p>
      )}
      <button type="submit" disabled={action.pending}>
        배송지 저장
      </button>
    </form>
  );
}

const REASONS = ['아직 제품이 남아 있어요', '효과를 잘 모르겠어요', '가격이 부담돼요', '다른 제품으로 바꿀래요', '기타'];

function CancelForm({ onCancel, pending }: { sub: Subscription; onCancel: (reason: string) => void; pending: boolean }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState(REASONS[0]);
  const [detail, setDetail] = useState('');
  if (!open)
    return (
      <p>
        <button type="button" className="linklike" onClick={() => setOpen(true)}>
          정기배송 해지
        </button>
      </p>
    );
  return (
    <form
      className="danger-zone"
      aria-labelledby="cancel"
      onSubmit={(e) => {
        e.preventDefault();
        onCancel((reason === '기타' && detail ? detail : reason).slice(0, 500));
      }}
    >
      <h2 id="cancel">정기배송 해지</h2>
      <p>해지하면 더 이상 결제와 배송이 없으며, 다시 시작할 수 없습니다. 잠시 쉬고 싶다면 일시정지를 이용해 보세요.</p>
      <fieldset>
        <legend>해지 사유</legend>
        {REASONS.map((r) => (
          <label key={r} className="radio">
            <input type="radio" name="reason" value={r} checked={reason === r} onChange={() => setReason(r)} /> {r}
          </label>
        ))}
      </fieldset>
      {reason === '기타' && (
        <div className="field">
          <label htmlFor="cancel-detail">자세한 사유</label>
          <textarea id="cancel-detail" maxLength={500} value={detail} onChange={(e) => setDetail(e.target.value)} />
        </div>
      )}
      <div className="row">
        <button type="submit" className="danger" disabled={pending}>
          해지하기
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          유지하기
        </button>
      </div>
    </form>
  );
}

function Charges({ id }: { id: number }) {
  const [page, setPage] = useState(1);
  const charges = useApi<Page<Charge>>(`/api/subscriptions/${id}/charges${qs({ page, size: 10 })}`);
  return (
    <section aria-labelledby="charges">
      <h2 id="charges">결제 내역</h2>
      <Loaded state={charges}>
        {(p) =>
          p.data.length === 0 ? (
            <p className="muted">아직 자동 결제 내역이 없습니다. 첫 결제는 주문 내역에서 볼 수 있습니다.</p>
          ) : (
            <>
              <div className="table-wrap" tabIndex={0} role="region" aria-label="표, 가로로 스크롤할 수 있습니다">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">결제일</th>
                      <th scope="col">시도</th>
                      <th scope="col">금액</th>
                      <th scope="col">결과</th>
                      <th scope="col">주문</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.data.map((c) => (
                      <tr key={c.chargeId}>
                        <td>{date(c.dueDate)}</td>
                        <td>{c.attempt}회차</td>
                        <td>{krw(c.amount)}</td>
                        <td>
                          {CHARGE_RESULT[c.result]}
                          {c.declineCode && <span className="muted"> ({c.declineCode})</span>}
                          <span className="muted"> {dateTime(c.at)}</span>
                        </td>
                        <td>{c.renewalOrderId ? <Link href={`/my/orders/${c.renewalOrderId}`}>주문 {c.renewalOrderId}</Link> : '-'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {p.pageInfo.totalPages > 1 && (
                <div className="row">
                  <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                    이전
                  </button>
                  <button type="button" disabled={page >= p.pageInfo.totalPages} onClick={() => setPage(page + 1)}>
                    다음
                  </button>
                </div>
              )}
            </>
          )
        }
      </Loaded>
    </section>
  );
}
