/**
 * The admin's Login tokens section (knox's AuthToken admin): list and search login and access tokens (an
 * access token's scopes shown) by username, email or a pasted token (matched by its first 15 characters,
 * `tokenKey`), and revoke one. Never the token itself.
 */
import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { ErrorNotice, Loading, SuccessNotice } from '../components/Notice';
import { Pager } from '../components/Pager';
import { SearchBox } from '../components/SearchBox';
import { formatDate } from '../format';
import { AdminLoginTokensDocument, DeleteLoginTokenDocument } from '../operations/admin';

const PAGE_SIZE = 20;

export function AdminLoginTokens() {
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const tokens = useQuery(AdminLoginTokensDocument, { variables: { search: search || null, limit: PAGE_SIZE, offset } });
  const [deleteLoginToken, deletion] = useMutation(DeleteLoginTokenDocument, { refetchQueries: [AdminLoginTokensDocument] });

  async function revoke(id: string, tokenKey: string, username: string) {
    setNotice(null);
    const { data } = await deleteLoginToken({ variables: { id } }).catch(() => ({ data: undefined }));
    if (data) setNotice(`Revoked the login token ${tokenKey}… of ${username}.`);
  }

  const page = tokens.data?.loginTokens;
  return (
    <>
      <div className="toolbar">
        <SearchBox label="Search login tokens by username, email or token" onSearch={(value) => { setSearch(value); setOffset(0); }} />
      </div>
      {notice ? <SuccessNotice>{notice}</SuccessNotice> : null}
      {deletion.error ? <ErrorNotice error={deletion.error} /> : null}
      {tokens.error ? <ErrorNotice error={tokens.error} onRetry={() => void tokens.refetch()} /> : null}
      {!page && tokens.loading ? <Loading what="login tokens" /> : null}
      {page && page.total === 0 ? <p className="empty">{search ? `No login tokens match “${search}”.` : 'No login tokens.'}</p> : null}
      {page && page.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Token key</th>
              <th>Device</th>
              <th>Kind</th>
              <th>User</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Expires</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {page.items.map((token) => (
              <tr key={token.id}>
                <td>
                  <code className="token">{token.tokenKey}…</code>
                </td>
                <td>{token.name || '—'}</td>
                <td>
                  {token.kind === 'ACCESS' ? (
                    <span className="scopes" aria-label={`Access token: ${(token.scopes ?? []).join(', ')}`}>
                      {(token.scopes ?? []).map((scope) => (
                        <span key={scope} className="badge">
                          {scope}
                        </span>
                      ))}
                    </span>
                  ) : (
                    'Login'
                  )}
                </td>
                <td>
                  <strong>{token.user.username}</strong>
                  <div className="muted">{token.user.email}</div>
                </td>
                <td className="nowrap">{formatDate(token.created)}</td>
                <td className="nowrap">{formatDate(token.lastUsed)}</td>
                <td className="nowrap">{token.expiry ? formatDate(token.expiry) : 'Never'}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="button-small"
                    disabled={deletion.loading}
                    aria-label={`Revoke the login token ${token.tokenKey} of ${token.user.username}`}
                    onClick={() => void revoke(token.id, token.tokenKey, token.user.username)}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {page ? <Pager offset={offset} limit={PAGE_SIZE} total={page.total} onChange={setOffset} /> : null}
    </>
  );
}
