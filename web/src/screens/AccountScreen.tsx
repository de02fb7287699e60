/**
 * Who am I (me), the token in use, and regenerating the DRF token (the old key stops working at once); the
 * devices logged in with login tokens, the access tokens for machines, the change-password form, and the
 * account's security events.
 */
import { useState, useSyncExternalStore } from 'react';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { getToken, hasKey, setToken, subscribe } from '../auth/token-store';
import { CopyButton } from '../components/CopyButton';
import { ErrorNotice, Loading, SuccessNotice } from '../components/Notice';
import { formatDate } from '../format';
import { MeDocument, RegenerateTokenDocument } from '../operations/account';
import { authKeyword } from '../server-config';
import { AccountAccessTokens } from './AccountAccessTokens';
import { AccountDevices } from './AccountDevices';
import { ChangePasswordForm } from './ChangePasswordForm';
import { AccountSecurity } from './AccountSecurity';

export function AccountScreen() {
  const me = useQuery(MeDocument);
  const client = useApolloClient();
  // The screen's queries fail together when the server is away: one Try again brings them all back.
  const retryAll = () => void client.refetchQueries({ include: 'active' });
  const token = useSyncExternalStore(subscribe, getToken);
  const [regenerate, regeneration] = useMutation(RegenerateTokenDocument);
  const [regenerated, setRegenerated] = useState(false);
  // With a cookie session the app holds no key: a regenerated API key (for scripts) is shown here once, in
  // this component's memory only, and the session itself carries on with its cookie.
  const [issuedKey, setIssuedKey] = useState<string | null>(null);
  const shown = hasKey(token) ? token : issuedKey;

  async function regenerateToken() {
    setRegenerated(false);
    const { data } = await regenerate().catch(() => ({ data: undefined }));
    if (data) {
      if (hasKey(token)) setToken(data.regenerateToken.token);
      else setIssuedKey(data.regenerateToken.token);
      setRegenerated(true);
    }
  }

  const user = me.data?.me;
  return (
    <section className="card" aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      {me.error ? <ErrorNotice error={me.error} onRetry={retryAll} /> : null}
      {!user && me.loading ? <Loading what="your account" /> : null}
      {user ? (
        <dl className="details">
          <dt>Username</dt>
          <dd data-testid="me-username">{user.username}</dd>
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Name</dt>
          <dd>{[user.firstName, user.lastName].filter(Boolean).join(' ') || '—'}</dd>
          <dt>Role</dt>
          <dd>{user.isSuperuser ? 'Superuser' : user.isStaff ? 'Staff' : 'User'}</dd>
          <dt>Joined</dt>
          <dd>{formatDate(user.dateJoined)}</dd>
          <dt>Last login</dt>
          <dd>{formatDate(user.lastLogin)}</dd>
        </dl>
      ) : null}

      <h2>API token</h2>
      <p className="aside">
        Send it as <code>Authorization: {authKeyword} &lt;key&gt;</code>. A token from Log in expires; Regenerate token issues your API token instead, which never expires (regenerate it again if it may have leaked).
      </p>
      {shown ? (
        <p className="token-line">
          <code className="token" data-testid="current-token">
            {shown}
          </code>
          <CopyButton value={shown} label="Copy the token" />
        </p>
      ) : (
        <p className="aside" data-testid="cookie-session">
          This browser&apos;s session key is in an HttpOnly cookie, which no script on the page can read. Regenerate token issues an API key for your scripts, shown here once.
        </p>
      )}
      {regenerated ? <SuccessNotice>A new token was issued; the old key no longer works.</SuccessNotice> : null}
      {regeneration.error ? <ErrorNotice error={regeneration.error} /> : null}
      <button type="button" onClick={() => void regenerateToken()} disabled={regeneration.loading}>
        {regeneration.loading ? 'Regenerating…' : 'Regenerate token'}
      </button>

      <AccountDevices onRetry={retryAll} />
      <AccountAccessTokens />
      <ChangePasswordForm />
      <AccountSecurity onRetry={retryAll} />
    </section>
  );
}
