/**
 * Who am I (me), the token in use, and regenerating the DRF token (the old key stops working at once); the
 * devices logged in with login tokens, the access tokens for machines, and the change-password form.
 */
import { useState, useSyncExternalStore } from 'react';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { getToken, setToken, subscribe } from '../auth/token-store';
import { CopyButton } from '../components/CopyButton';
import { ErrorNotice, Loading, SuccessNotice } from '../components/Notice';
import { formatDate } from '../format';
import { MeDocument, RegenerateTokenDocument } from '../operations/account';
import { authKeyword } from '../server-config';
import { AccountAccessTokens } from './AccountAccessTokens';
import { AccountDevices } from './AccountDevices';
import { ChangePasswordForm } from './ChangePasswordForm';

export function AccountScreen() {
  const me = useQuery(MeDocument);
  const client = useApolloClient();
  // The screen's queries fail together when the server is away: one Try again brings them all back.
  const retryAll = () => void client.refetchQueries({ include: 'active' });
  const token = useSyncExternalStore(subscribe, getToken);
  const [regenerate, regeneration] = useMutation(RegenerateTokenDocument);
  const [regenerated, setRegenerated] = useState(false);

  async function regenerateToken() {
    setRegenerated(false);
    const { data } = await regenerate().catch(() => ({ data: undefined }));
    if (data) {
      setToken(data.regenerateToken.token);
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
      <p className="token-line">
        <code className="token" data-testid="current-token">
          {token}
        </code>
        {token ? <CopyButton value={token} label="Copy the token" /> : null}
      </p>
      {regenerated ? <SuccessNotice>A new token was issued; the old key no longer works.</SuccessNotice> : null}
      {regeneration.error ? <ErrorNotice error={regeneration.error} /> : null}
      <button type="button" onClick={() => void regenerateToken()} disabled={regeneration.loading}>
        {regeneration.loading ? 'Regenerating…' : 'Regenerate token'}
      </button>

      <AccountDevices onRetry={retryAll} />
      <AccountAccessTokens />
      <ChangePasswordForm />
    </section>
  );
}
