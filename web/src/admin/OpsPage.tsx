// Live charts from /metrics, polled every 2 s and drawn with uPlot.
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { p99, parseMetrics, snapshot, type Snapshot } from './metrics';

const POINTS = 90;
const BREAKER = ['닫힘(정상)', '열림(차단)', '반열림(시험)'];

interface Series {
  t: number[];
  rate: (number | null)[];
  p99ms: (number | null)[];
  errorPct: (number | null)[];
  billing: Record<string, (number | null)[]>;
}

function Chart({ title, data, labels, unit }: { title: string; data: (number | null)[][]; labels: string[]; unit: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    if (!box.current) return;
    const colors = ['#0b7a5a', '#c2410c', '#1d4ed8', '#7c3aed', '#be123c'];
    plot.current = new uPlot(
      {
        width: Math.min(560, box.current.clientWidth || 560),
        height: 200,
        series: [{}, ...labels.map((label, i) => ({ label, stroke: colors[i % colors.length], width: 2, value: (_: uPlot, v: number | null) => (v === null ? '-' : `${v.toFixed(2)} ${unit}`) }))],
        axes: [{}, { size: 60 }],
        scales: { x: { time: true } },
      },
      data as uPlot.AlignedData,
      box.current,
    );
    return () => plot.current?.destroy();
  }, [labels.join('|')]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={`${title} 차트`} />
    </figure>
  );
}

export default function OpsPage() {
  const [series, setSeries] = useState<Series>({ t: [], rate: [], p99ms: [], errorPct: [], billing: {} });
  const [breaker, setBreaker] = useState(0);
  const [error, setError] = useState(false);
  const last = useRef<Snapshot | null>(null);
  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      try {
        const r = await fetch('/metrics');
        if (!r.ok) throw new Error(String(r.status));
        const cur = snapshot(parseMetrics(await r.text()), Date.now() / 1000);
        const prev = last.current;
        last.current = cur;
        setError(false);
        setBreaker(cur.breaker);
        if (!prev || stopped) return;
        const dt = cur.at - prev.at;
        const reqs = cur.requests - prev.requests;
        const latency = p99(prev, cur);
        setSeries((s) => {
          const keep = <T,>(a: T[], v: T) => [...a, v].slice(-POINTS);
          const billing: Record<string, (number | null)[]> = {};
          const outcomes = new Set([...Object.keys(s.billing), ...cur.billing.keys()]);
          for (const k of outcomes) {
            const before = s.billing[k] ?? new Array(s.t.length).fill(null);
            billing[k] = keep(before, ((cur.billing.get(k) ?? 0) - (prev.billing.get(k) ?? 0)) / dt);
          }
          return {
            t: keep(s.t, cur.at),
            rate: keep(s.rate, reqs / dt),
            p99ms: keep(s.p99ms, latency === null ? null : latency * 1000),
            errorPct: keep(s.errorPct, reqs > 0 ? ((cur.errors - prev.errors) / reqs) * 100 : 0),
            billing,
          };
        });
      } catch {
        setError(true);
      }
    };
    poll();
    const timer = setInterval(poll, 2000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  const billingKeys = Object.keys(series.billing).sort();
  return (
    <>
      <h1>운영 지표</h1>
      {error && (
        <p className="notice error" role="alert">
          /metrics를 읽지 못했습니다. 2초마다 다시 시도합니다.
        </p>
      )}
      <p>
        결제 게이트웨이 차단기: <strong className={breaker === 0 ? 'ok' : 'warn'}>{BREAKER[breaker] ?? breaker}</strong>
      </p>
      <div className="charts">
        <Chart title="초당 요청 수" unit="req/s" labels={['요청']} data={[series.t, series.rate]} />
        <Chart title="p99 응답 시간" unit="ms" labels={['p99']} data={[series.t, series.p99ms]} />
        <Chart title="오류율 (5xx)" unit="%" labels={['5xx']} data={[series.t, series.errorPct]} />
        <Chart title="정기결제 결과 (초당)" unit="/s" labels={billingKeys.length ? billingKeys : ['없음']} data={[series.t, ...(billingKeys.length ? billingKeys.map((k) => series.billing[k]) : [series.t.map(() => 0)])]} />
      </div>
    </>
  );
}
