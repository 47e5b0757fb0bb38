// The admin console (role ADMIN): catalog, orders and fulfilment, subscriptions
// due, billing runs, dead letters and live operations charts.
import { Suspense, lazy, useState, type FormEvent } from 'react';
import { ApiError, api } from '../api/client';
import type { BatchRun, DeadEvent, ItemDetail, ItemSummary, Order, Page, Subscription } from '../api/types';
import { ORDER_STATUS, SUBSCRIPTION_STATUS, date, dateTime, krw } from '../format';
import { Link, navigate, qs } from '../router';
import { ActionError, Field, Loaded, Pager, useAction, useApi, useSession } from '../ui';

const OpsPage = lazy(() => import('./OpsPage'));

const SECTIONS: [string, string][] = [
  ['/admin/items', '상품'],
  ['/admin/orders', '주문·배송'],
  ['/admin/subscriptions', '정기배송'],
  ['/admin/batch', '정기결제 실행'],
  ['/admin/events', '실패 이벤트'],
  ['/admin/ops', '운영 지표'],
];

export default function AdminApp({ path, query }: { path: string; query: URLSearchParams }) {
  const { profile } = useSession();
  if (profile === undefined) return <p className="loading">불러오는 중…</p>;
  if (!profile)
    return (
      <div className="notice">
        <p>관리자 로그인이 필요합니다.</p>
        <Link href={`/login?next=${encodeURIComponent(path)}`}>로그인</Link>
      </div>
    );
  if (!profile.roles.includes('ADMIN'))
    return (
      <div className="notice error" role="alert">
        <p>관리자만 볼 수 있는 페이지입니다.</p>
      </div>
    );
  return (
    <div className="admin">
      <nav className="tabs" aria-label="관리 메뉴">
        {SECTIONS.map(([href, label]) => (
          <Link key={href} href={href} aria-current={path.startsWith(href) ? 'page' : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      <AdminPage path={path} query={query} />
    </div>
  );
}

function AdminPage({ path, query }: { path: string; query: URLSearchParams }) {
  if (path.startsWith('/admin/items')) return <ItemsAdmin query={query} />;
  if (path.startsWith('/admin/orders')) return <OrdersAdmin query={query} />;
  if (path.startsWith('/admin/subscriptions')) return <SubscriptionsAdmin query={query} />;
  if (path.startsWith('/admin/batch')) return <BatchAdmin />;
  if (path.startsWith('/admin/events')) return <EventsAdmin />;
  if (path.startsWith('/admin/ops'))
    return (
      <Suspense fallback={<p className="loading">불러오는 중…</p>}>
        <OpsPage />
      </Suspense>
    );
  return (
    <>
      <h1>관리자</h1>
      <ul className="admin-home">
        {SECTIONS.map(([href, label]) => (
          <li key={href}>
            <Link href={href}>{label}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}

// ---- catalog --------------------------------------------------------------

function ItemsAdmin({ query }: { query: URLSearchParams }) {
  const keyword = query.get('keyword') ?? '';
  const status = query.get('status') ?? '';
  const stock = query.get('stock') ?? '';
  const page = Number(query.get('page') ?? 1) || 1;
  // GET /api/admin/items (hidden items too) comes with the fulfilment work
  // (#12); until a server has it, the public search lists the items on sale.
  const items = useApi<Page<ItemSummary & { status?: string; stock?: number }> & { partial?: boolean }>(
    `/api/admin/items${qs({ keyword, status, stock, page, size: 20 })}`,
    async (signal) => {
      try {
        return await api(`/api/admin/items${qs({ keyword, status, stock, page, size: 20 })}`, { signal });
      } catch (e) {
        if (!(e instanceof ApiError) || !(e.status === 405 || e.problem.code === 'ROUTE_NOT_FOUND')) throw e;
        const publicPage = await api<Page<ItemSummary>>(`/api/items${qs({ keyword, sort: 'NEWEST', page, size: 20 })}`, { signal });
        return { ...publicPage, partial: true };
      }
    },
  );
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [kw, setKw] = useState(keyword);
  return (
    <>
      <h1>상품 관리</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`/admin/items${qs({ keyword: kw, status, stock })}`);
        }}
      >
        <div className="field">
          <label htmlFor="ai-kw">검색어</label>
          <input id="ai-kw" value={kw} onChange={(e) => setKw(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="ai-status">판매 상태</label>
          <select id="ai-status" value={status} onChange={(e) => navigate(`/admin/items${qs({ keyword, status: e.target.value, stock })}`)}>
            <option value="">전체</option>
            <option value="ON_SALE">판매 중</option>
            <option value="HIDDEN">숨김</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="ai-stock">재고</label>
          <select id="ai-stock" value={stock} onChange={(e) => navigate(`/admin/items${qs({ keyword, status, stock: e.target.value })}`)}>
            <option value="">전체</option>
            <option value="IN_STOCK">재고 있음</option>
            <option value="OUT_OF_STOCK">품절</option>
          </select>
        </div>
        <button type="submit">검색</button>
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          상품 등록
        </button>
      </form>
      {editing === 'new' && <ItemEditor onDone={() => (setEditing(null), items.reload())} />}
      <Loaded state={items}>
        {(p) => (
          <>
            {p.partial && <p className="muted">이 서버는 판매 중인 상품만 보여 줍니다 (숨김 상품 목록 없음).</p>}
            <div className="table-wrap" tabIndex={0} role="region" aria-label="표, 가로로 스크롤할 수 있습니다">
              <table>
                <thead>
                  <tr>
                    <th scope="col">ID</th>
                    <th scope="col">이미지</th>
                    <th scope="col">상품명</th>
                    <th scope="col">판매가</th>
                    <th scope="col">할인율</th>
                    <th scope="col">재고</th>
                    <th scope="col">상태</th>
                    <th scope="col">관리</th>
                  </tr>
                </thead>
                <tbody>
                  {p.data.map((i) => (
                    <tr key={i.itemId}>
                      <td>{i.itemId}</td>
                      <td>
                        <img src={i.thumbnailUrl} alt="" width="40" height="40" loading="lazy" />
                      </td>
                      <td>
                        {i.productName}
                        <br />
                        <span className="muted">{i.enterprise}</span>
                      </td>
                      <td>{krw(i.realPrice)}</td>
                      <td>{i.discountRate}%</td>
                      <td>{i.stock ?? (i.inStock ? '있음' : '품절')}</td>
                      <td>{i.status === 'HIDDEN' ? '숨김' : '판매 중'}</td>
                      <td>
                        <button type="button" onClick={() => setEditing(i.itemId)} aria-label={`${i.productName} 수정`}>
                          수정
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {typeof editing === 'number' && <ItemEditorLoader id={editing} onDone={() => (setEditing(null), items.reload())} />}
            <Pager info={p.pageInfo} href={(n) => `/admin/items${qs({ keyword, status, stock, page: n })}`} />
          </>
        )}
      </Loaded>
    </>
  );
}

function ItemEditorLoader({ id, onDone }: { id: number; onDone: () => void }) {
  // Hidden items answer 404 on the public detail: start from the list's fields then.
  const item = useApi<{ data: ItemDetail }>(`/api/items/${id}`);
  if (item.error?.status === 404) return <ItemEditor id={id} onDone={onDone} />;
  return <Loaded state={item}>{({ data }) => <ItemEditor id={id} item={data} onDone={onDone} />}</Loaded>;
}

function ItemEditor({ id, item, onDone }: { id?: number; item?: ItemDetail; onDone: () => void }) {
  const [form, setForm] = useState({
    productName: item?.productName ?? '',
    enterprise: item?.enterprise ?? '',
    mainFunction: item?.mainFunction ?? '',
    shape: item?.shape ?? '',
    originPrice: String(item?.originPrice ?? ''),
    discountRate: String(item?.discountRate ?? 0),
    stock: String(item?.stock ?? 0),
    status: item?.status ?? 'ON_SALE',
  });
  const [file, setFile] = useState<File | null>(null);
  const action = useAction();
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = {
      originPrice: Number(form.originPrice),
      discountRate: Number(form.discountRate),
      stock: Number(form.stock),
      status: form.status,
    };
    if (form.productName) body.productName = form.productName;
    if (form.enterprise) body.enterprise = form.enterprise;
    if (form.mainFunction) body.mainFunction = form.mainFunction;
    if (form.shape) body.shape = form.shape;
    const ok = await action.run(async () => {
      const saved = await api<{ data: ItemDetail }>(id ? `/api/admin/items/${id}` : '/api/admin/items', { method: id ? 'PATCH' : 'POST', body });
      if (file) await api(`/api/admin/items/${saved.data.itemId}/image`, { method: 'PUT', raw: file, contentType: file.type });
      return true;
    });
    if (ok) onDone();
  };
  return (
    <form className="editor" onSubmit={submit} noValidate aria-label={id ? `상품 ${id} 수정` : '상품 등록'}>
      <h2>{id ? `상품 ${id} 수정` : '상품 등록'}</h2>
      <div className="grid-form">
        <Field label="상품명" name="productName" value={form.productName} onChange={set('productName')} error={action.fields.productName} />
        <Field label="브랜드" name="enterprise" value={form.enterprise} onChange={set('enterprise')} error={action.fields.enterprise} />
        <Field label="주된 기능성" name="mainFunction" value={form.mainFunction} onChange={set('mainFunction')} error={action.fields.mainFunction} />
        <Field label="제품 형태 (캡슐, 정제, 분말, 액상)" name="shape" value={form.shape} onChange={set('shape')} error={action.fields.shape} />
        <Field label="정가(원)" name="originPrice" type="number" min={0} value={form.originPrice} onChange={set('originPrice')} error={action.fields.originPrice} />
        <Field label="할인율(%)" name="discountRate" type="number" min={0} max={100} step={0.1} value={form.discountRate} onChange={set('discountRate')} error={action.fields.discountRate} />
        <Field label="재고" name="stock" type="number" min={0} value={form.stock} onChange={set('stock')} error={action.fields.stock} />
        <div className="field">
          <label htmlFor="f-status">판매 상태</label>
          <select id="f-status" value={form.status} onChange={set('status')}>
            <option value="ON_SALE">판매 중</option>
            <option value="HIDDEN">숨김</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-image">상품 이미지 (PNG·JPEG·WebP, 2MB 이하)</label>
          <input id="f-image" type="file" accept="image/png,image/jpeg,image/webp" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          {action.error && ['UNSUPPORTED_MEDIA_TYPE', 'IMAGE_TOO_LARGE'].includes(action.error.problem.code ?? '') && (
            <span className="field-error" role="alert">
              {action.error.problem.code === 'IMAGE_TOO_LARGE' ? '이미지는 2MB 이하여야 합니다.' : 'PNG, JPEG, WebP 이미지만 올릴 수 있습니다.'}
            </span>
          )}
          {action.fields.image && <span className="field-error">{action.fields.image}</span>}
        </div>
      </div>
      <ActionError error={action.error} />
      <div className="row">
        <button type="submit" className="primary" disabled={action.pending}>
          저장
        </button>
        <button type="button" onClick={onDone}>
          닫기
        </button>
      </div>
    </form>
  );
}

// ---- orders ---------------------------------------------------------------

function OrdersAdmin({ query }: { query: URLSearchParams }) {
  const status = query.get('status') ?? 'PAID';
  const page = Number(query.get('page') ?? 1) || 1;
  const queue = status === 'QUEUE';
  const orders = useApi<Page<Order>>(queue ? `/api/admin/fulfilment/queue${qs({ page, size: 20 })}` : `/api/admin/orders${qs({ status, page, size: 20 })}`);
  const action = useAction();
  const [done, setDone] = useState('');
  const run = async (label: string, call: () => Promise<unknown>) => {
    setDone('');
    const r = await action.run(call);
    if (r !== undefined) setDone(label);
    orders.reload();
  };
  const [shipping, setShipping] = useState<number | null>(null);
  const ship = (o: Order, carrier: string, trackingNumber: string) =>
    run(`주문 ${o.orderId} 발송 처리했습니다.`, async () => {
      const r = await api(`/api/admin/orders/${o.orderId}/ship`, { method: 'POST', body: { carrier, trackingNumber } });
      setShipping(null);
      return r;
    });
  const refund = (o: Order) => {
    const left = o.totalPrice - (o.payment?.refundedAmount ?? 0);
    const text = prompt(`환불 금액 (최대 ${left}원)`, String(left));
    if (!text) return;
    run(`주문 ${o.orderId} 환불했습니다.`, () => api(`/api/admin/orders/${o.orderId}/refund`, { method: 'POST', body: { amount: Number(text) } }));
  };
  return (
    <>
      <h1>주문·배송 관리</h1>
      <div className="field inline">
        <label htmlFor="ao-status">상태</label>
        <select id="ao-status" value={status} onChange={(e) => navigate(`/admin/orders${qs({ status: e.target.value })}`)}>
          <option value="QUEUE">출고 대기열 (오래된 순)</option>
          {Object.entries(ORDER_STATUS).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      {done && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
      <ActionError error={action.error} />
      <Loaded state={orders}>
        {(p) => (
          <>
            <div className="table-wrap" tabIndex={0} role="region" aria-label="표, 가로로 스크롤할 수 있습니다">
              <table>
                <thead>
                  <tr>
                    <th scope="col">주문</th>
                    <th scope="col">상품</th>
                    <th scope="col">받는 분</th>
                    <th scope="col">금액</th>
                    <th scope="col">상태</th>
                    <th scope="col">처리</th>
                  </tr>
                </thead>
                <tbody>
                  {p.data.map((o) => (
                    <tr key={o.orderId}>
                      <td>
                        {o.orderId}
                        <br />
                        <span className="muted">{dateTime(o.createdAt)}</span>
                      </td>
                      <td>
                        {o.lines.map((l) => `${l.productName} × ${l.quantity}`).join(', ')}
                        {o.type === 'SUBSCRIPTION' && <span className="badge">정기</span>}
                      </td>
                      <td>
                        {o.receiver.name}
                        <br />
                        <span className="muted">
                          {o.receiver.city} {o.receiver.detailAddress}
                        </span>
                      </td>
                      <td>
                        {krw(o.totalPrice)}
                        {o.payment && o.payment.refundedAmount > 0 && <span className="muted"> (환불 {krw(o.payment.refundedAmount)})</span>}
                      </td>
                      <td>
                        {ORDER_STATUS[o.status]}
                        {o.shipment && (
                          <span className="muted">
                            <br />
                            {o.shipment.carrier} {o.shipment.trackingNumber}
                          </span>
                        )}
                      </td>
                      <td className="row">
                        {o.status === 'PAID' &&
                          (shipping === o.orderId ? (
                            <ShipForm order={o} onShip={(c, t) => ship(o, c, t)} onClose={() => setShipping(null)} fields={action.fields} />
                          ) : (
                            <button type="button" onClick={() => setShipping(o.orderId)} aria-label={`주문 ${o.orderId} 발송`}>
                              발송
                            </button>
                          ))}
                        {o.status === 'SHIPPED' && (
                          <button type="button" onClick={() => run(`주문 ${o.orderId} 배송 완료 처리했습니다.`, () => api(`/api/admin/orders/${o.orderId}/deliver`, { method: 'POST' }))} aria-label={`주문 ${o.orderId} 배송 완료`}>
                            배송 완료
                          </button>
                        )}
                        {(o.status === 'PAID' || o.status === 'SHIPPED' || o.status === 'DELIVERED') && (
                          <button type="button" className="danger" onClick={() => refund(o)} aria-label={`주문 ${o.orderId} 환불`}>
                            환불
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {p.data.length === 0 && <p className="muted">해당하는 주문이 없습니다.</p>}
            <Pager info={p.pageInfo} href={(n) => `/admin/orders${qs({ status, page: n })}`} />
          </>
        )}
      </Loaded>
    </>
  );
}

const CARRIERS = ['CJ대한통운', '롯데택배', '한진택배', '우체국택배', '로젠택배'];

function ShipForm({ order, onShip, onClose, fields }: { order: Order; onShip: (carrier: string, tracking: string) => void; onClose: () => void; fields: Record<string, string> }) {
  const [carrier, setCarrier] = useState(CARRIERS[0]);
  const [tracking, setTracking] = useState('');
  const id = `ship-${order.orderId}`;
  return (
    <form
      className="ship"
      aria-label={`주문 ${order.orderId} 발송 정보`}
      onSubmit={(e) => {
        e.preventDefault();
        onShip(carrier, tracking.trim());
      }}
    >
      <label htmlFor={`${id}-carrier`}>택배사</label>
      <select id={`${id}-carrier`} value={carrier} onChange={(e) => setCarrier(e.target.value)}>
        {CARRIERS.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
      <label htmlFor={`${id}-tracking`}>운송장 번호</label>
      <input id={`${id}-tracking`} value={tracking} inputMode="numeric" onChange={(e) => setTracking(e.target.value)} aria-invalid={fields.trackingNumber ? true : undefined} />
      {fields.trackingNumber && <span className="field-error">{fields.trackingNumber}</span>}
      <button type="submit" className="primary">
        발송 처리
      </button>
      <button type="button" onClick={onClose}>
        닫기
      </button>
    </form>
  );
}

// ---- subscriptions, billing runs, dead letters -----------------------------

function today(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Seoul' });
}

function SubscriptionsAdmin({ query }: { query: URLSearchParams }) {
  const dueOn = query.get('dueOn') ?? today();
  const status = query.get('status') ?? '';
  const page = Number(query.get('page') ?? 1) || 1;
  const subs = useApi<Page<Subscription>>(`/api/admin/subscriptions${qs({ dueOn, status, page, size: 20 })}`);
  return (
    <>
      <h1>정기배송 (결제 예정일별)</h1>
      <div className="filters">
        <div className="field">
          <label htmlFor="as-due">결제 예정일</label>
          <input id="as-due" type="date" value={dueOn} onChange={(e) => navigate(`/admin/subscriptions${qs({ dueOn: e.target.value, status })}`)} />
        </div>
        <div className="field">
          <label htmlFor="as-status">상태</label>
          <select id="as-status" value={status} onChange={(e) => navigate(`/admin/subscriptions${qs({ dueOn, status: e.target.value })}`)}>
            <option value="">전체</option>
            {Object.entries(SUBSCRIPTION_STATUS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Loaded state={subs}>
        {(p) => (
          <>
            <p className="muted">{p.pageInfo.totalElements}건</p>
            <div className="table-wrap" tabIndex={0} role="region" aria-label="표, 가로로 스크롤할 수 있습니다">
              <table>
                <thead>
                  <tr>
                    <th scope="col">ID</th>
                    <th scope="col">상품</th>
                    <th scope="col">수량·주기</th>
                    <th scope="col">다음 결제</th>
                    <th scope="col">금액</th>
                    <th scope="col">상태</th>
                  </tr>
                </thead>
                <tbody>
                  {p.data.map((s) => (
                    <tr key={s.subscriptionId}>
                      <td>{s.subscriptionId}</td>
                      <td>{s.productName}</td>
                      <td>
                        {s.quantity}개 · {s.period}일
                      </td>
                      <td>{date(s.nextPaymentDate)}</td>
                      <td>{krw(s.upcomingAmount)}</td>
                      <td>
                        {SUBSCRIPTION_STATUS[s.status]}
                        {s.cancelReason && <span className="muted"> ({s.cancelReason})</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager info={p.pageInfo} href={(n) => `/admin/subscriptions${qs({ dueOn, status, page: n })}`} />
          </>
        )}
      </Loaded>
    </>
  );
}

function BatchAdmin() {
  const runs = useApi<Page<BatchRun> | { data: BatchRun[] }>('/api/admin/batch/runs');
  return (
    <>
      <h1>정기결제 실행 기록</h1>
      <Loaded state={runs}>
        {({ data }) => (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="표, 가로로 스크롤할 수 있습니다">
            <table>
              <thead>
                <tr>
                  <th scope="col">실행</th>
                  <th scope="col">기준일</th>
                  <th scope="col">상태</th>
                  <th scope="col">대상</th>
                  <th scope="col">성공</th>
                  <th scope="col">일시 거절</th>
                  <th scope="col">거절</th>
                  <th scope="col">확인 중</th>
                  <th scope="col">건너뜀</th>
                  <th scope="col">오류</th>
                </tr>
              </thead>
              <tbody>
                {data.map((r) => (
                  <tr key={r.runId}>
                    <td>
                      {r.runId}
                      <br />
                      <span className="muted">{dateTime(r.startedAt)}</span>
                    </td>
                    <td>{r.date}</td>
                    <td>{r.status}</td>
                    <td>{r.counts.due}</td>
                    <td>{r.counts.paid}</td>
                    <td>{r.counts.softDeclined}</td>
                    <td>{r.counts.hardDeclined}</td>
                    <td>{r.counts.unknown}</td>
                    <td>{r.counts.skipped}</td>
                    <td>{r.counts.errors}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {data.length === 0 && <p className="muted">실행 기록이 없습니다.</p>}
          </div>
        )}
      </Loaded>
    </>
  );
}

function EventsAdmin() {
  const events = useApi<Page<DeadEvent> | { data: DeadEvent[] }>('/api/admin/events/dead');
  const action = useAction();
  const [done, setDone] = useState('');
  const replay = async (e: DeadEvent) => {
    setDone('');
    const r = await action.run(() => api(`/api/admin/events/${e.eventId}/replay`, { method: 'POST' }));
    if (r !== undefined) setDone(`이벤트 ${e.eventId}를 다시 처리 대기열에 넣었습니다.`);
    events.reload();
  };
  return (
    <>
      <h1>실패 이벤트 (dead letter)</h1>
      {done && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
      <ActionError error={action.error} />
      <Loaded state={events}>
        {({ data }) =>
          data.length === 0 ? (
            <p className="notice">실패한 이벤트가 없습니다.</p>
          ) : (
            <div className="table-wrap" tabIndex={0} role="region" aria-label="표, 가로로 스크롤할 수 있습니다">
              <table>
                <thead>
                  <tr>
                    <th scope="col">ID</th>
                    <th scope="col">종류</th>
                    <th scope="col">대상</th>
                    <th scope="col">시도</th>
                    <th scope="col">마지막 오류</th>
                    <th scope="col">처리</th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((e) => (
                    <tr key={e.eventId}>
                      <td>{e.eventId}</td>
                      <td>{e.type}</td>
                      <td>{e.aggregateId}</td>
                      <td>{e.attempts}</td>
                      <td className="wrap">{e.lastError}</td>
                      <td>
                        <button type="button" onClick={() => replay(e)} disabled={action.pending} aria-label={`이벤트 ${e.eventId} 재처리`}>
                          재처리
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </>
  );
}

