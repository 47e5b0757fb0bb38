import { useState, type FormEvent } from 'react';
import { api, tokens } from '../api/client';
import type { Cart, ItemDetail, Page, Review } from '../api/types';
import { CATEGORY_LABELS, date, krw } from '../format';
import { Link, navigate, qs } from '../router';
import { ActionError, Field, Loaded, Pager, Price, Stars, useAction, useApi, useSession } from '../ui';

export function ItemPage({ id, query }: { id: number; query: URLSearchParams }) {
  const item = useApi<{ data: ItemDetail }>(`/api/items/${id}`);
  return <Loaded state={item}>{({ data }) => <ItemView item={data} query={query} reloadItem={item.reload} />}</Loaded>;
}

function ItemView({ item, query, reloadItem }: { item: ItemDetail; query: URLSearchParams; reloadItem: () => void }) {
  const facts: [string, string][] = [
    ['주된 기능성', item.mainFunction],
    ['섭취 방법', item.intake],
    ['섭취 시 주의사항', item.caution],
    ['보관 방법', item.storage],
    ['원재료', item.rawMaterials],
    ['기준 규격', item.standard],
    ['제품 형태', item.shape],
    ['유통기한', item.distributionPeriod],
    ['품목제조신고번호', item.reportNo ?? '-'],
    ['등록일', item.registeredDate ? date(item.registeredDate) : '-'],
  ];
  return (
    <article className="item">
      <div className="item-top">
        <img className="packshot" src={item.thumbnailUrl} alt={`${item.productName} 제품 이미지`} width="480" height="480" fetchPriority="high" />
        <div className="buy">
          <p className="brand">{item.enterprise}</p>
          <h1>{item.productName}</h1>
          <p className="chips small">
            {item.categories.map((c) => (
              <Link key={c} href={`/category/${c}`} className="chip">
                {CATEGORY_LABELS[c] ?? c}
              </Link>
            ))}
          </p>
          <Price origin={item.originPrice} rate={item.discountRate} real={item.realPrice} />
          {item.discountPrice > 0 && <p className="muted">{krw(item.discountPrice)} 할인</p>}
          <p>
            <Stars value={item.starAvg} count={item.reviewCount} /> · 누적 판매 {item.sales.toLocaleString('ko-KR')}개
          </p>
          <p className={item.inStock ? 'stock' : 'stock out'}>{item.inStock ? `재고 ${item.stock.toLocaleString('ko-KR')}개` : '품절'}</p>
          <BuyBox item={item} />
        </div>
      </div>
      <section aria-labelledby="facts">
        <h2 id="facts">제품 정보</h2>
        <dl className="facts">
          {facts.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v || '-'}</dd>
            </div>
          ))}
        </dl>
      </section>
      <Reviews item={item} query={query} onChange={reloadItem} />
    </article>
  );
}

function BuyBox({ item }: { item: ItemDetail }) {
  const [quantity, setQuantity] = useState(1);
  const [period, setPeriod] = useState(30);
  const [added, setAdded] = useState<string | null>(null);
  const action = useAction();
  const add = async (kind: 'normal' | 'subscription') => {
    if (!tokens()) {
      navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    const body = kind === 'normal' ? { itemId: item.itemId, quantity } : { itemId: item.itemId, quantity, period };
    const cart = await action.run(() => api<{ data: Cart }>(`/api/carts/${kind}/items`, { method: 'POST', body }));
    if (cart) setAdded(kind);
  };
  return (
    <div className="buybox">
      <Field label="수량" name="quantity" type="number" min={1} max={99} value={quantity} onChange={(e) => setQuantity(Number(e.target.value))} error={action.fields.quantity} />
      <Field label="배송 주기(일, 정기배송)" name="period" type="number" min={7} max={180} value={period} onChange={(e) => setPeriod(Number(e.target.value))} error={action.fields.period} />
      <div className="row">
        <button type="button" disabled={!item.inStock || action.pending} onClick={() => add('normal')}>
          장바구니 담기
        </button>
        <button type="button" className="primary" disabled={!item.inStock || action.pending} onClick={() => add('subscription')}>
          정기배송 담기
        </button>
      </div>
      <ActionError error={action.error} />
      {added && (
        <p role="status" className="ok">
          {added === 'normal' ? '장바구니에 담았습니다.' : '정기배송 장바구니에 담았습니다.'}{' '}
          <Link href={added === 'normal' ? '/cart' : '/cart?kind=subscription'}>장바구니 보기</Link>
        </p>
      )}
    </div>
  );
}

const REVIEW_SORTS: Record<string, string> = { NEWEST: '최신순', OLDEST: '오래된순', STAR_DESC: '별점 높은순', STAR_ASC: '별점 낮은순' };

function Reviews({ item, query, onChange }: { item: ItemDetail; query: URLSearchParams; onChange: () => void }) {
  const { profile } = useSession();
  const page = Number(query.get('reviewPage') ?? 1) || 1;
  const sort = query.get('reviewSort') ?? 'NEWEST';
  const reviews = useApi<Page<Review>>(`/api/items/${item.itemId}/reviews${qs({ page, size: 5, sort })}`);
  const [editing, setEditing] = useState<Review | null>(null);
  const refresh = () => {
    setEditing(null);
    reviews.reload();
    onChange();
  };
  const remove = async (review: Review) => {
    if (!confirm('리뷰를 삭제할까요?')) return;
    await api(`/api/reviews/${review.reviewId}`, { method: 'DELETE' });
    refresh();
  };
  const href = (p: number, s = sort) => `/items/${item.itemId}${qs({ reviewPage: p, reviewSort: s })}`;
  return (
    <section aria-labelledby="reviews">
      <h2 id="reviews">
        리뷰 <span className="muted">{item.reviewCount}</span>
      </h2>
      <div className="field inline">
        <label htmlFor="r-sort">리뷰 정렬</label>
        <select id="r-sort" value={sort} onChange={(e) => navigate(href(1, e.target.value), { replace: true })}>
          {Object.entries(REVIEW_SORTS).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      {profile && !editing && <ReviewForm itemId={item.itemId} onDone={refresh} />}
      <Loaded state={reviews}>
        {(p) => (
          <>
            <ul className="reviews">
              {p.data.map((r) =>
                editing?.reviewId === r.reviewId ? (
                  <li key={r.reviewId}>
                    <ReviewForm itemId={item.itemId} review={r} onDone={refresh} />
                  </li>
                ) : (
                  <li key={r.reviewId}>
                    <Stars value={r.star} /> <strong>{r.author}</strong> <span className="muted">{date(r.createdAt)}</span>
                    <p>{r.content}</p>
                    {profile?.displayName === r.author && (
                      <div className="row">
                        <button type="button" onClick={() => setEditing(r)}>
                          수정
                        </button>
                        <button type="button" onClick={() => remove(r)}>
                          삭제
                        </button>
                      </div>
                    )}
                  </li>
                ),
              )}
            </ul>
            {p.data.length === 0 && <p className="muted">아직 리뷰가 없습니다.</p>}
            <Pager info={p.pageInfo} href={(n) => href(n)} />
          </>
        )}
      </Loaded>
    </section>
  );
}

function ReviewForm({ itemId, review, onDone }: { itemId: number; review?: Review; onDone: () => void }) {
  const [star, setStar] = useState(review?.star ?? 5);
  const [content, setContent] = useState(review?.content ?? '');
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { star, content };
    const ok = await action.run(() =>
      review
        ? api(`/api/reviews/${review.reviewId}`, { method: 'PATCH', body })
        : api(`/api/items/${itemId}/reviews`, { method: 'POST', body }),
    );
    if (ok !== undefined) {
      setContent('');
      onDone();
    }
  };
  return (
    <form className="review-form" onSubmit={submit} aria-label={review ? '리뷰 수정' : '리뷰 쓰기'}>
      <div className="field">
        <label htmlFor={`star-${review?.reviewId ?? 'new'}`}>별점</label>
        <select id={`star-${review?.reviewId ?? 'new'}`} value={star} onChange={(e) => setStar(Number(e.target.value))}>
          {[5, 4, 3, 2, 1].map((s) => (
            <option key={s} value={s}>
              {'★'.repeat(s)} {s}점
            </option>
          ))}
        </select>
        {action.fields.star && <span className="field-error">{action.fields.star}</span>}
      </div>
      <div className="field">
        <label htmlFor={`content-${review?.reviewId ?? 'new'}`}>리뷰 내용</label>
        <textarea id={`content-${review?.reviewId ?? 'new'}`} value={content} maxLength={1000} rows={3} onChange={(e) => setContent(e.target.value)} />
        {action.fields.content && <span className="field-error">{action.fields.content}</span>}
      </div>
      <button type="submit" disabled={action.pending}>
        {review ? '리뷰 수정' : '리뷰 등록'}
      </button>
      {action.error && !action.error.problem.errors?.length && (
        <p className="form-error" role="alert">
          {action.error.status === 403 || action.error.status === 422 ? '구매한 상품에만 리뷰를 쓸 수 있습니다.' : action.error.message}
        </p>
      )}
    </form>
  );
}
