// Hand-written types of the Pillivery HTTP API (docs: /openapi.json). The one
// module that knows the wire shapes; a generated client replaces it later.

export interface PageInfo {
  page: number;
  size: number;
  totalElements: number;
  totalPages: number;
}
export interface Page<T> {
  data: T[];
  pageInfo: PageInfo;
}
export interface One<T> {
  data: T;
}

export interface FieldError {
  field: string;
  reason: string;
}
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
}

export type CategoryCode =
  | 'EYE' | 'BONE' | 'BRAIN' | 'INTESTINE' | 'LIVER' | 'SKIN' | 'ANTIOXIDANT' | 'FATIGUE' | 'IMMUNE' | 'ETC';

export interface Category {
  code: CategoryCode;
  label: string;
  itemCount: number;
}

export interface ItemSummary {
  itemId: number;
  productName: string;
  enterprise: string;
  thumbnailUrl: string;
  mainFunction: string;
  categories: CategoryCode[];
  originPrice: number;
  discountRate: number;
  discountPrice: number;
  realPrice: number;
  sales: number;
  reviewCount: number;
  starAvg: number;
  inStock: boolean;
}

export type ItemStatus = 'ON_SALE' | 'HIDDEN';

export interface ItemDetail extends ItemSummary {
  reportNo: string | null;
  registeredDate: string;
  distributionPeriod: string;
  shape: string;
  intake: string;
  caution: string;
  storage: string;
  standard: string;
  rawMaterials: string;
  descriptionImageUrl: string;
  stock: number;
  views: number;
  status: ItemStatus;
}

export interface MainPage {
  bestSellers: ItemSummary[];
  topDiscounts: ItemSummary[];
}

export type ItemSort =
  | 'SALES' | 'NEWEST' | 'PRICE_ASC' | 'PRICE_DESC' | 'DISCOUNT_RATE_DESC' | 'DISCOUNT_RATE_ASC' | 'REVIEW_COUNT' | 'STAR';

export interface Review {
  reviewId: number;
  itemId: number;
  author: string;
  star: number;
  content: string;
  createdAt: string;
  updatedAt: string;
}
export type ReviewSort = 'NEWEST' | 'OLDEST' | 'STAR_DESC' | 'STAR_ASC';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  profileComplete?: boolean;
}

export interface Profile {
  userId: number;
  email: string | null;
  displayName: string;
  realName: string;
  phone: string | null;
  city: string;
  detailAddress: string;
  roles: ('USER' | 'ADMIN')[];
  status: 'ACTIVE' | 'WITHDRAWN';
  hasPassword: boolean;
  linkedProviders: string[];
  profileComplete: boolean;
  createdAt: string;
}

export interface SignUp {
  email: string;
  password: string;
  displayName: string;
  realName: string;
  phone: string;
  city: string;
  detailAddress: string;
}

export type CartKind = 'normal' | 'subscription';

export interface CartLine {
  itemId: number;
  productName: string;
  thumbnailUrl: string;
  quantity: number;
  period?: number;
  unitOriginPrice: number;
  unitRealPrice: number;
  lineTotal: number;
  inStock: boolean;
}
export interface Totals {
  itemCount: number;
  totalOriginPrice: number;
  totalDiscountPrice: number;
  totalPrice: number;
}
export interface Cart extends Totals {
  kind?: string;
  lines: CartLine[];
}

export type OrderStatus = 'PENDING_PAYMENT' | 'PAID' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED' | 'REFUNDED';
export type OrderType = 'ONE_TIME' | 'SUBSCRIPTION';

export interface Receiver {
  name: string;
  phone: string;
  city: string;
  detailAddress: string;
}

export interface OrderLine {
  itemId: number;
  productName: string;
  thumbnailUrl: string;
  quantity: number;
  period?: number;
  unitOriginPrice: number;
  unitRealPrice: number;
  lineTotal: number;
}

export interface Shipment {
  carrier: string;
  trackingNumber: string;
  shippedAt: string;
  deliveredAt?: string;
}

export interface Order extends Totals {
  orderId: number;
  type: OrderType;
  status: OrderStatus;
  lines: OrderLine[];
  receiver: Receiver;
  createdAt: string;
  paidAt?: string;
  statusHistory: { status: OrderStatus; at: string }[];
  payment?: {
    provider: string;
    tid: string | null;
    approvedAt: string;
    refundedAmount: number;
    settledBy?: string;
  };
  // Added by the fulfilment work (#12): present once shipped.
  shipment?: Shipment;
}

export interface PaymentReady {
  tid: string;
  redirectUrl: { pc: string; mobile: string; app: string };
}

export type SubscriptionStatus = 'ACTIVE' | 'PAUSED' | 'PAST_DUE' | 'PAYMENT_FAILED' | 'CANCELLED';

export interface Subscription {
  subscriptionId: number;
  itemId: number;
  productName: string;
  quantity: number;
  period: number;
  status: SubscriptionStatus;
  lastPaidDate: string;
  nextPaymentDate: string;
  nextAttemptDate?: string;
  upcomingAmount: number;
  sourceOrderId?: number;
  createdAt: string;
  // Added by #12: where renewals are shipped, and why it was cancelled.
  deliveryAddress?: Receiver;
  cancelReason?: string;
}

export type ChargeResult = 'PAID' | 'SOFT_DECLINED' | 'HARD_DECLINED' | 'UNKNOWN';

export interface Charge {
  chargeId: number;
  dueDate: string;
  attempt: number;
  partnerOrderId: string;
  amount: number;
  result: ChargeResult;
  declineCode?: string;
  tid?: string;
  at: string;
  renewalOrderId?: number;
}

export interface BatchRun {
  runId: number;
  date: string;
  status: string;
  startedAt: string;
  finishedAt?: string;
  counts: {
    due: number;
    paid: number;
    softDeclined: number;
    hardDeclined: number;
    unknown: number;
    skipped: number;
    errors: number;
  };
}

export interface DeadEvent {
  eventId: number;
  type: string;
  aggregateId: number;
  payload: unknown;
  attempts: number;
  lastError: string;
  createdAt: string;
}

export interface ItemWrite {
  productName?: string;
  enterprise?: string;
  mainFunction?: string;
  shape?: string;
  originPrice?: number;
  discountRate?: number;
  stock?: number;
  status?: ItemStatus;
  thumbnailUrl?: string;
}
