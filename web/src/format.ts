const won = new Intl.NumberFormat('ko-KR');

/** 12345 → "12,345원" */
export function krw(amount: number): string {
  return `${won.format(amount)}원`;
}

/** "2026-12-02" or an ISO time → "2026년 12월 2일" */
export function date(text: string | undefined | null): string {
  if (!text) return '-';
  const d = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00+09:00`) : new Date(text);
  if (Number.isNaN(d.getTime())) return text;
  return d.toLocaleDateString('ko-KR', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Asia/Seoul' });
}

export function dateTime(text: string | undefined | null): string {
  if (!text) return '-';
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) return text;
  return d.toLocaleString('ko-KR', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Seoul' });
}

export const CATEGORY_LABELS: Record<string, string> = {
  EYE: '눈 건강',
  BONE: '뼈 건강',
  BRAIN: '두뇌·기억력',
  INTESTINE: '장 건강',
  LIVER: '간 건강',
  SKIN: '피부 건강',
  ANTIOXIDANT: '항산화',
  FATIGUE: '피로·혈행',
  IMMUNE: '면역',
  ETC: '기타',
};

export const ORDER_STATUS: Record<string, string> = {
  PENDING_PAYMENT: '결제 대기',
  PAID: '결제 완료',
  SHIPPED: '배송 중',
  DELIVERED: '배송 완료',
  CANCELLED: '주문 취소',
  REFUNDED: '환불 완료',
};

export const SUBSCRIPTION_STATUS: Record<string, string> = {
  ACTIVE: '구독 중',
  PAUSED: '일시정지',
  PAST_DUE: '결제 지연',
  PAYMENT_FAILED: '결제 실패',
  CANCELLED: '해지됨',
};

export const CHARGE_RESULT: Record<string, string> = {
  PAID: '결제 완료',
  SOFT_DECLINED: '일시적 거절',
  HARD_DECLINED: '결제 거절',
  UNKNOWN: '확인 중',
};

export const SORT_LABELS: Record<string, string> = {
  SALES: '판매량순',
  NEWEST: '최신순',
  PRICE_ASC: '낮은 가격순',
  PRICE_DESC: '높은 가격순',
  DISCOUNT_RATE_DESC: '할인율 높은순',
  DISCOUNT_RATE_ASC: '할인율 낮은순',
  REVIEW_COUNT: '리뷰 많은순',
  STAR: '별점순',
};

/** Field names of the API → Korean labels for messages. */
export const FIELD_LABELS: Record<string, string> = {
  email: '이메일',
  password: '비밀번호',
  displayName: '닉네임',
  realName: '이름',
  phone: '휴대폰 번호',
  city: '시/도',
  detailAddress: '상세 주소',
};
