/**
 * "Your devices": the caller's login tokens (myTokens), this one marked, each other one revocable on its own,
 * and "Log out everywhere" (logoutAll: every token, the DRF one included). Never a token itself: tokenKey,
 * its first characters, is what tells them apart besides the name.
 */
import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { isUnauthenticated } from '../apollo/errors';
import { clearToken } from '../auth/token-store';
import { ErrorNotice, Loading, SuccessNotice } from '../components/Notice';
import { formatDate } from '../format';
import { LogoutAllDocument, MyTokensDocument, RevokeTokenDocument } from '../operations/account';
import { LOGGED_OUT_EVERYWHERE } from './LoginScreen';

export function AccountDevices({ onRetry }: { onRetry: () => void }) {
  const tokens = useQuery(MyTokensDocument);
  const [revokeToken, revocation] = useMutation(RevokeTokenDocument, { refetchQueries: [MyTokensDocument] });
  const [logoutAll, everywhere] = useMutation(LogoutAllDocument);
  const [notice, setNotice] = useState<string | null>(null);

  async function revoke(id: string, name: string) {
    setNotice(null);
    const { data } = await revokeToken({ variables: { id } }).catch(() => ({ data: undefined }));
    if (data) setNotice(`Revoked “${name}”: it is logged out.`);
  }

  async function logOutEverywhere() {
    setNotice(null);
    try {
      await logoutAll();
      clearToken(LOGGED_OUT_EVERYWHERE);
    } catch (error) {
      // A 401 has already ended this session (the link cleared the token).
      if (isUnauthenticated(error)) return;
    }
  }

  // Access tokens are machines', listed in their own section (AccountAccessTokens).
  const items = tokens.data?.myTokens.filter((token) => token.kind === 'LOGIN');
  return (
    <section aria-labelledby="devices-title">
      <h2 id="devices-title">Your devices</h2>
      <p className="aside">Each login makes a token for that device. Revoke one you no longer use, or log out everywhere.</p>
      {tokens.error ? <ErrorNotice error={tokens.error} onRetry={onRetry} /> : null}
      {!items && tokens.loading ? <Loading what="your devices" /> : null}
      {notice ? <SuccessNotice>{notice}</SuccessNotice> : null}
      {revocation.error ? <ErrorNotice error={revocation.error} /> : null}
      {everywhere.error && !isUnauthenticated(everywhere.error) ? <ErrorNotice error={everywhere.error}>Logging out everywhere failed: try again.</ErrorNotice> : null}
      {items && items.length === 0 ? <p className="empty">No devices are logged in with a login token.</p> : null}
      {items && items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Device</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Expires</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {items.map((token) => {
              const name = token.name || 'Unnamed device';
              return (
                <tr key={token.id} data-testid="device" aria-current={token.current ? 'true' : undefined}>
                  <td>
                    <strong>{name}</strong>{' '}
                    {token.current ? <span className="badge badge-ok">This device</span> : null}
                    <div className="muted">
                      <code>{token.tokenKey}…</code>
                    </div>
                  </td>
                  <td className="nowrap">{formatDate(token.created)}</td>
                  <td className="nowrap">{formatDate(token.lastUsed)}</td>
                  <td className="nowrap">{token.expiry ? formatDate(token.expiry) : 'Never'}</td>
                  <td className="row-actions">
                    {token.current ? null : (
                      <button type="button" className="button-small" disabled={revocation.loading} aria-label={`Revoke ${name} (${token.tokenKey})`} onClick={() => void revoke(token.id, name)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <button type="button" className="button-danger" disabled={everywhere.loading} onClick={() => void logOutEverywhere()}>
        {everywhere.loading ? 'Logging out…' : 'Log out everywhere'}
      </button>
    </section>
  );
}
