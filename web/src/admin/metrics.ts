// Prometheus text format → samples, and the numbers the operations page draws.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    if (m[3]) for (const l of m[3].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

export interface Snapshot {
  at: number; // seconds
  requests: number;
  errors: number;
  buckets: Map<number, number>; // le → cumulative count
  billing: Map<string, number>; // outcome → count
  breaker: number;
}

export function snapshot(samples: Sample[], at: number): Snapshot {
  const s: Snapshot = { at, requests: 0, errors: 0, buckets: new Map(), billing: new Map(), breaker: 0 };
  for (const x of samples) {
    if (x.name === 'http_requests_total') {
      s.requests += x.value;
      if (x.labels.status?.startsWith('5')) s.errors += x.value;
    } else if (x.name === 'http_request_duration_seconds_bucket') {
      const le = x.labels.le === '+Inf' ? Infinity : Number(x.labels.le);
      s.buckets.set(le, (s.buckets.get(le) ?? 0) + x.value);
    } else if (x.name === 'pillivery_gateway_calls_total' && /subscription|charge/i.test(x.labels.operation ?? '')) {
      const k = x.labels.outcome ?? 'unknown';
      s.billing.set(k, (s.billing.get(k) ?? 0) + x.value);
    } else if (x.name === 'pillivery_gateway_circuit_state') {
      s.breaker = x.value;
    }
  }
  return s;
}

/** The p99 of the requests between two snapshots, from histogram buckets (seconds); null without requests. */
export function p99(prev: Snapshot, cur: Snapshot): number | null {
  const les = [...cur.buckets.keys()].sort((a, b) => a - b);
  const total = (cur.buckets.get(Infinity) ?? 0) - (prev.buckets.get(Infinity) ?? 0);
  if (total <= 0) return null;
  const target = total * 0.99;
  for (const le of les) {
    const n = (cur.buckets.get(le) ?? 0) - (prev.buckets.get(le) ?? 0);
    if (n >= target) return Number.isFinite(le) ? le : les[les.length - 2] ?? 0;
  }
  return null;
}
