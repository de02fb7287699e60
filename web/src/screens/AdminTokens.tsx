/**
 * DRF admin's Token section: list and search tokens (by username or email), Add Token for a username,
 * regenerate a key (createToken with reset) and delete a token. Each change cuts the old key off at once.
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { fieldErrors } from '../apollo/errors';
import { Field } from '../components/Field';
import { ErrorNotice, Loading, SuccessNotice } from '../components/Notice';
import { Pager } from '../components/Pager';
import { SearchBox } from '../components/SearchBox';
import { formatDate } from '../format';
import { AdminTokensDocument, AdminUsersDocument, CreateTokenDocument, DeleteTokenDocument } from '../operations/admin';

const PAGE_SIZE = 20;

export function AdminTokens() {
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const tokens = useQuery(AdminTokensDocument, { variables: { search: search || null, limit: PAGE_SIZE, offset } });
  const refetchQueries = [AdminTokensDocument, AdminUsersDocument];
  const [createToken, creation] = useMutation(CreateTokenDocument, { refetchQueries });
  const [deleteToken, deletion] = useMutation(DeleteTokenDocument, { refetchQueries });
  const failure = creation.error ?? deletion.error;

  async function regenerate(username: string) {
    setNotice(null);
    const { data } = await createToken({ variables: { username, reset: true } }).catch(() => ({ data: undefined }));
    if (data) setNotice(`Regenerated the token of ${username}; the old key no longer works.`);
  }

  async function remove(key: string, username: string) {
    setNotice(null);
    const { data } = await deleteToken({ variables: { key } }).catch(() => ({ data: undefined }));
    setConfirming(null);
    if (data) setNotice(`Deleted the token of ${username}.`);
  }

  const page = tokens.data?.tokens;
  return (
    <>
      <AddToken
        onSubmit={() => setNotice(null)}
        onAdded={(username) => {
          setNotice(`Token ready for ${username}.`);
          void tokens.refetch();
        }}
      />
      <div className="toolbar">
        <SearchBox label="Search tokens by username or email" onSearch={(value) => { setSearch(value); setOffset(0); }} />
      </div>
      {notice ? <SuccessNotice>{notice}</SuccessNotice> : null}
      {failure && !creation.loading ? <ErrorNotice error={failure} /> : null}
      {tokens.error ? <ErrorNotice error={tokens.error} onRetry={() => void tokens.refetch()} /> : null}
      {!page && tokens.loading ? <Loading what="tokens" /> : null}
      {page && page.total === 0 ? <p className="empty">{search ? `No tokens match “${search}”.` : 'No tokens.'}</p> : null}
      {page && page.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Key</th>
              <th>User</th>
              <th>Created</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {page.items.map((token) => (
              <tr key={token.key} data-username={token.user.username}>
                <td>
                  <code className="token">{token.key}</code>
                </td>
                <td>
                  <strong>{token.user.username}</strong>
                  <div className="muted">{token.user.email}</div>
                </td>
                <td className="nowrap">{formatDate(token.created)}</td>
                <td className="row-actions">
                  {confirming === token.key ? (
                    <>
                      <button type="button" className="button-small button-danger" disabled={deletion.loading} onClick={() => void remove(token.key, token.user.username)}>
                        Confirm delete
                      </button>
                      <button type="button" className="button-small" onClick={() => setConfirming(null)}>
                        Keep
                      </button>
                    </>
                  ) : (
                    <>
                      <button type="button" className="button-small" disabled={creation.loading} aria-label={`Regenerate the token of ${token.user.username}`} onClick={() => void regenerate(token.user.username)}>
                        Regenerate
                      </button>
                      <button type="button" className="button-small" aria-label={`Delete the token of ${token.user.username}`} onClick={() => setConfirming(token.key)}>
                        Delete
                      </button>
                    </>
                  )}
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

/** "Add Token": a username, then Save. Returns the user's existing token if there is one, as DRF's admin would refuse a second. */
function AddToken({ onSubmit, onAdded }: { onSubmit: () => void; onAdded: (username: string) => void }) {
  const [username, setUsername] = useState('');
  const [createToken, { loading, error, reset }] = useMutation(CreateTokenDocument);
  const errors = fieldErrors(error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    reset();
    onSubmit();
    const { data } = await createToken({ variables: { username: username.trim(), reset: false } }).catch(() => ({ data: undefined }));
    if (data) {
      onAdded(data.createToken.user.username);
      setUsername('');
    }
  }

  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="Add token">
      <Field label="Add a token for user" name="username" placeholder="username" value={username} onChange={(e) => setUsername(e.target.value)} error={errors.username ?? errors.form} />
      <button type="submit" className="button-primary" disabled={loading}>
        {loading ? 'Saving…' : 'Add token'}
      </button>
    </form>
  );
}
