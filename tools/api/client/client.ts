// A typed fetch client over the generated types (generated/schema.d.ts): the request and
// answer of every call are checked by tsc, so a contract change that breaks a caller breaks
// the build. The web storefront can import it (or the types alone) from tools/api.
import type { components, operations, paths } from '../generated/schema';

export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type Operation<P extends keyof paths, M extends Method> = paths[P][M] extends infer O
  ? O extends { responses: unknown }
    ? O
    : never
  : never;
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type SuccessOf<O> = O extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 | 202 ? JsonOf<R[S]> : never }[keyof R]
  : never;
type BodyOf<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B | undefined
    : undefined;

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(`${status} ${problem.code}: ${problem.detail}`);
  }
}

export class PilliveryClient {
  constructor(private readonly baseUrl: string, private token?: string) {}

  withToken(token: string): PilliveryClient {
    return new PilliveryClient(this.baseUrl, token);
  }

  // path: the template with its parameters filled in, e.g. `/api/orders/${id}`.
  async call<P extends keyof paths, M extends Method>(
    method: M,
    template: P,
    path: string,
    body?: BodyOf<Operation<P, M>>,
    headers: Record<string, string> = {},
  ): Promise<SuccessOf<Operation<P, M>> | undefined> {
    const response = await fetch(this.baseUrl + path, {
      method: method.toUpperCase(),
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 204) return undefined;
    const json: unknown = await response.json();
    if (!response.ok) throw new ApiError(response.status, json as Problem);
    return json as SuccessOf<Operation<P, M>>;
  }
}

// Compile-time checks that the types say what the API does (tsc fails otherwise).
export async function examplePurchase(client: PilliveryClient): Promise<number> {
  const login = await client.call('post', '/api/auth/login', '/api/auth/login', {
    email: 'minji@example.com',
    password: 'Passw0rd!',
  });
  const token: string = login!.data.accessToken;
  const me = client.withToken(token);
  await me.call('post', '/api/carts/{kind}/items', '/api/carts/normal/items', { itemId: 1, quantity: 2 });
  const placed = await me.call('post', '/api/orders', '/api/orders', {
    type: 'ONE_TIME',
    fromCart: true,
    receiver: { name: '김민지', phone: '010-1234-5678', city: '서울특별시', detailAddress: '1' },
  });
  const order: Schemas['Order'] = placed!.data;
  const status: operations['getOrder']['responses'][200]['content']['application/json']['data']['status'] = order.status;
  void status;
  const ready = await me.call('post', '/api/orders/{id}/payment', `/api/orders/${order.orderId}/payment`, {
    provider: 'KAKAOPAY',
  });
  const redirect: string = ready!.data.redirectUrl.pc;
  void redirect;
  return order.totalPrice;
}
