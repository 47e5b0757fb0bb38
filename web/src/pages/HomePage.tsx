import type { Category, MainPage } from '../api/types';
import { CATEGORY_LABELS } from '../format';
import { Link } from '../router';
import { ItemGrid, Loaded, useApi } from '../ui';

export function HomePage() {
  const main = useApi<{ data: MainPage }>('/api/items/main');
  const categories = useApi<{ data: Category[] }>('/api/categories');
  return (
    <>
      <section className="hero">
        <h1>매일 챙기는 건강, 필리버리 정기배송</h1>
        <p>원하는 주기(7~180일)마다 자동으로 결제되고 배송됩니다. 언제든 건너뛰기·일시정지·해지할 수 있어요.</p>
      </section>
      <nav aria-label="카테고리" className="chips">
        <Loaded state={categories}>
          {({ data }) =>
            data.map((c) => (
              <Link key={c.code} href={`/category/${c.code}`} className="chip">
                {CATEGORY_LABELS[c.code] ?? c.label} <span className="muted">{c.itemCount}</span>
              </Link>
            ))
          }
        </Loaded>
      </nav>
      <Loaded state={main}>
        {({ data }) => (
          <>
            <section aria-labelledby="best">
              <h2 id="best">베스트셀러</h2>
              <ItemGrid items={data.bestSellers} eager={4} />
            </section>
            <section aria-labelledby="deals">
              <h2 id="deals">최대 할인</h2>
              <ItemGrid items={data.topDiscounts} />
            </section>
          </>
        )}
      </Loaded>
    </>
  );
}
