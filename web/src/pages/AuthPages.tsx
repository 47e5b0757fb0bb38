import { useEffect, useState, type FormEvent } from 'react';
import { api, setTokens } from '../api/client';
import type { SignUp, TokenPair } from '../api/types';
import { Link, navigate } from '../router';
import { ActionError, Field, useAction } from '../ui';

function SocialButtons() {
  return (
    <div className="social">
      <a className="button kakao" href="/api/auth/oauth2/kakao">
        카카오로 시작하기
      </a>
      <a className="button google" href="/api/auth/oauth2/google">
        Google로 시작하기
      </a>
    </div>
  );
}

/** Only same-site paths are followed after login. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage({ next }: { next: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await action.run(() => api<{ data: TokenPair }>('/api/auth/login', { method: 'POST', body: { email, password } }));
    if (r) {
      setTokens(r.data);
      navigate(safeNext(next), { replace: true });
    }
  };
  return (
    <div className="narrow">
      <h1>로그인</h1>
      <form onSubmit={submit} noValidate>
        <Field label="이메일" name="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={action.fields.email} />
        <Field label="비밀번호" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={action.fields.password} />
        {action.error?.status === 401 ? (
          <p className="form-error" role="alert">
            이메일 또는 비밀번호가 올바르지 않습니다.
          </p>
        ) : action.error?.status === 429 ? (
          <p className="form-error" role="alert">
            로그인 시도가 너무 많습니다. 잠시 후 다시 시도해 주세요.
          </p>
        ) : (
          <ActionError error={action.error} />
        )}
        <button type="submit" className="primary wide" disabled={action.pending}>
          로그인
        </button>
      </form>
      <SocialButtons />
      <p>
        처음이신가요? <Link href="/signup">회원가입</Link>
      </p>
    </div>
  );
}

const EMPTY: SignUp = { email: '', password: '', displayName: '', realName: '', phone: '', city: '', detailAddress: '' };
const CONFLICTS: Record<string, [keyof SignUp, string]> = {
  EMAIL_TAKEN: ['email', '이미 가입된 이메일입니다.'],
  DISPLAY_NAME_TAKEN: ['displayName', '이미 사용 중인 닉네임입니다.'],
  PHONE_TAKEN: ['phone', '이미 가입된 휴대폰 번호입니다.'],
};

export function SignUpPage() {
  const [form, setForm] = useState<SignUp>(EMPTY);
  const [done, setDone] = useState(false);
  const action = useAction();
  const set = (k: keyof SignUp) => (e: React.ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const conflict = action.error?.problem.code ? CONFLICTS[action.error.problem.code] : undefined;
  const errors: Record<string, string> = { ...action.fields };
  if (conflict) errors[conflict[0]] = conflict[1];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const created = await action.run(async () => {
      await api('/api/users', { method: 'POST', body: form });
      const r = await api<{ data: TokenPair }>('/api/auth/login', { method: 'POST', body: { email: form.email, password: form.password } });
      setTokens(r.data);
      return true;
    });
    if (created) setDone(true);
  };
  useEffect(() => {
    if (done) navigate('/', { replace: true });
  }, [done]);
  return (
    <div className="narrow">
      <h1>회원가입</h1>
      <form onSubmit={submit} noValidate>
        <Field label="이메일" name="email" type="email" autoComplete="email" value={form.email} onChange={set('email')} error={errors.email} />
        <Field label="비밀번호 (8~64자, 영문·숫자·특수문자 포함)" name="password" type="password" autoComplete="new-password" value={form.password} onChange={set('password')} error={errors.password} />
        <Field label="닉네임" name="displayName" autoComplete="nickname" value={form.displayName} onChange={set('displayName')} error={errors.displayName} />
        <Field label="이름" name="realName" autoComplete="name" value={form.realName} onChange={set('realName')} error={errors.realName} />
        <Field label="휴대폰 번호" name="phone" type="tel" autoComplete="tel" placeholder="010-1234-5678" value={form.phone} onChange={set('phone')} error={errors.phone} />
        <Field label="시/도" name="city" autoComplete="address-level1" value={form.city} onChange={set('city')} error={errors.city} />
        <Field label="상세 주소" name="detailAddress" autoComplete="street-address" value={form.detailAddress} onChange={set('detailAddress')} error={errors.detailAddress} />
        {!conflict && <ActionError error={action.error} />}
        <button type="submit" className="primary wide" disabled={action.pending}>
          가입하기
        </button>
      </form>
      <SocialButtons />
    </div>
  );
}

/** Where a social sign-in lands: the token pair comes in the URL fragment (never sent to a server). */
export function OAuthCallbackPage({ provider }: { provider: string; query: URLSearchParams }) {
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const f = new URLSearchParams(location.hash.slice(1));
    const accessToken = f.get('accessToken');
    const refreshToken = f.get('refreshToken');
    if (!accessToken || !refreshToken) {
      setFailed(true);
      return;
    }
    setTokens({ accessToken, refreshToken, tokenType: 'Bearer', expiresIn: Number(f.get('expiresIn') ?? 1800) });
    navigate(f.get('profileComplete') === 'false' ? '/me' : '/', { replace: true });
  }, []);
  return failed ? (
    <div className="notice error" role="alert">
      <p>{provider === 'kakao' ? '카카오' : 'Google'} 로그인에 실패했습니다.</p>
      <Link href="/login">다시 로그인</Link>
    </div>
  ) : (
    <p className="loading">로그인 중…</p>
  );
}
