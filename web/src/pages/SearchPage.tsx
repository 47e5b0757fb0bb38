import { useEffect, useState, type FormEvent } from 'react';
import type { ItemSummary, Page } from '../api/types';
import { CATEGORY_LABELS, SORT_LABELS } from '../format';
import { navigate, qs } from '../router';
import { ItemGrid, Loaded, Pager, useApi } from '../ui';

const FILTERS = ['keyword', 'brand', 'minPrice', 'maxPrice', 'onSale', 'sort', 'page'] as const;

export function SearchPage({ query, category }: { query: URLSearchParams; category?: string }) {
  const params: Record<string, string> = {};
  for (const k of FILTERS) {
    const v = query.get(k);
    if (v) params[k] = v;
  }
  const base = category ? `/category/${category}` : '/search';
  const key = `/api/items${qs({ ...params, category, size: 20 })}`;
  const result = useApi<Page<ItemSummary>>(key);
  const [form, setForm] = useState(params);
  useEffect(() => setForm(params), [query.toString()]); // eslint-disable-line react-hooks/exhaustive-deps

  const apply = (e: FormEvent) => {
    e.preventDefault();
    navigate(base + qs({ ...form, page: undefined }));
  };
  const set = (k: string, v: string) => setForm((f) => ({ ...f, [k]: v }));
  const title = category ? (CATEGORY_LABELS[category] ?? category) : params.keyword ? `‘${params.keyword}’ 검색 결과` : '전체 상품';

  return (
    <>
      <h1>{title}</h1>
      <form className="filters" onSubmit={apply} aria-label="검색 조건">
        <div className="field">
          <label htmlFor="s-keyword">검색어</label>
          <input id="s-keyword" type="search" value={form.keyword ?? ''} onChange={(e) => set('keyword', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="s-brand">브랜드</label>
          <input id="s-brand" value={form.brand ?? ''} onChange={(e) => set('brand', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="s-min">최저 가격</label>
          <input id="s-min" type="number" min="0" inputMode="numeric" value={form.minPrice ?? ''} onChange={(e) => set('minPrice', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="s-max">최고 가격</label>
          <input id="s-max" type="number" min="0" inputMode="numeric" value={form.maxPrice ?? ''} onChange={(e) => set('maxPrice', e.target.value)} />
        </div>
        <div className="field check">
          <input id="s-sale" type="checkbox" checked={form.onSale === 'true'} onChange={(e) => set('onSale', e.target.checked ? 'true' : '')} />
          <label htmlFor="s-sale">할인 상품만</label>
        </div>
        <div className="field">
          <label htmlFor="s-sort">정렬</label>
          <select
            id="s-sort"
            value={form.sort ?? 'SALES'}
            onChange={(e) => navigate(base + qs({ ...form, sort: e.target.value, page: undefined }))}
          >
            {Object.entries(SORT_LABELS).map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">적용</button>
      </form>
      <Loaded state={result}>
        {(page) => (
          <>
            <p className="muted" aria-live="polite">
              {page.pageInfo.totalElements.toLocaleString('ko-KR')}개 상품
            </p>
            <ItemGrid items={page.data} eager={4} />
            <Pager info={page.pageInfo} href={(p) => base + qs({ ...params, page: p })} />
          </>
        )}
      </Loaded>
    </>
  );
}
