import { useState, type FormEvent } from 'react';
import { api, setTokens } from '../api/client';
import type { Profile } from '../api/types';
import { navigate } from '../router';
import { ActionError, Field, Loaded, profileChanged, useAction, useApi } from '../ui';

export function ProfilePage() {
  const me = useApi<{ data: Profile }>('/api/users/me');
  return <Loaded state={me}>{({ data }) => <ProfileForm profile={data} onSaved={(p) => me.setData({ data: p })} />}</Loaded>;
}

function ProfileForm({ profile, onSaved }: { profile: Profile; onSaved: (p: Profile) => void }) {
  const [form, setForm] = useState({
    displayName: profile.displayName,
    realName: profile.realName,
    phone: profile.phone ?? '',
    city: profile.city,
    detailAddress: profile.detailAddress,
    password: '',
    currentPassword: '',
  });
  const [saved, setSaved] = useState(false);
  const save = useAction();
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body: Record<string, string> = { displayName: form.displayName, realName: form.realName, phone: form.phone, city: form.city, detailAddress: form.detailAddress };
    if (form.password) {
      body.password = form.password;
      body.currentPassword = form.currentPassword;
    }
    const r = await save.run(() => api<{ data: Profile }>('/api/users/me', { method: 'PATCH', body }));
    if (r) {
      profileChanged();
      onSaved(r.data);
      setSaved(true);
    }
  };
  const [withdrawPassword, setWithdrawPassword] = useState('');
  const withdraw = useAction();
  const leave = async (e: FormEvent) => {
    e.preventDefault();
    if (!confirm('정말 탈퇴할까요? 진행 중인 정기배송은 모두 해지됩니다.')) return;
    const ok = await withdraw.run(() =>
      api('/api/users/me', { method: 'DELETE', body: profile.hasPassword ? { password: withdrawPassword } : {} }).then(() => true),
    );
    if (ok) {
      setTokens(null);
      navigate('/', { replace: true });
    }
  };
  return (
    <div className="narrow">
      <h1>내 정보</h1>
      <p className="muted">{profile.email}</p>
      {!profile.profileComplete && <p className="notice">배송을 위해 이름, 휴대폰 번호와 주소를 입력해 주세요.</p>}
      <form onSubmit={submit} noValidate aria-label="내 정보 수정">
        <Field label="닉네임" name="displayName" value={form.displayName} onChange={set('displayName')} error={save.fields.displayName} />
        <Field label="이름" name="realName" value={form.realName} onChange={set('realName')} error={save.fields.realName} />
        <Field label="휴대폰 번호" name="phone" type="tel" value={form.phone} onChange={set('phone')} error={save.fields.phone} />
        <Field label="시/도" name="city" value={form.city} onChange={set('city')} error={save.fields.city} />
        <Field label="상세 주소" name="detailAddress" value={form.detailAddress} onChange={set('detailAddress')} error={save.fields.detailAddress} />
        {profile.hasPassword && (
          <>
            <Field label="새 비밀번호 (바꿀 때만)" name="password" type="password" autoComplete="new-password" value={form.password} onChange={set('password')} error={save.fields.password} />
            <Field label="현재 비밀번호" name="currentPassword" type="password" autoComplete="current-password" value={form.currentPassword} onChange={set('currentPassword')} error={save.fields.currentPassword} />
          </>
        )}
        <ActionError error={save.error} />
        {saved && (
          <p role="status" className="ok">
            저장했습니다.
          </p>
        )}
        <button type="submit" className="primary" disabled={save.pending}>
          저장
        </button>
      </form>
      <form onSubmit={leave} className="danger-zone" aria-label="회원 탈퇴">
        <h2>회원 탈퇴</h2>
        {profile.hasPassword && (
          <Field label="비밀번호 확인" name="withdrawPassword" type="password" value={withdrawPassword} onChange={(e) => setWithdrawPassword(e.target.value)} error={withdraw.fields.password} />
        )}
        <ActionError error={withdraw.error} />
        <button type="submit" className="danger">
          탈퇴하기
        </button>
      </form>
    </div>
  );
}
