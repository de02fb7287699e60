/** Users for staff: search, add, activate or deactivate (an inactive user's token stops working at once), and give a token. */
import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { ErrorNotice, Loading, SuccessNotice } from '../components/Notice';
import { AdminAddUser } from './AdminAddUser';
import { Pager } from '../components/Pager';
import { SearchBox } from '../components/SearchBox';
import { formatDate } from '../format';
import { AdminTokensDocument, AdminUsersDocument, CreateTokenDocument, SetUserActiveDocument } from '../operations/admin';

const PAGE_SIZE = 20;

export function AdminUsers() {
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const users = useQuery(AdminUsersDocument, { variables: { search: search || null, limit: PAGE_SIZE, offset } });
  const [setUserActive, activation] = useMutation(SetUserActiveDocument);
  const [createToken, creation] = useMutation(CreateTokenDocument, { refetchQueries: [AdminTokensDocument] });
  const failure = activation.error ?? creation.error;

  async function toggle(id: string, username: string, active: boolean) {
    setNotice(null);
    const { data } = await setUserActive({ variables: { id, active } }).catch(() => ({ data: undefined }));
    if (data) setNotice(active ? `Activated ${username}.` : `Deactivated ${username}; their token no longer works.`);
  }

  async function giveToken(username: string) {
    setNotice(null);
    const { data } = await createToken({ variables: { username, reset: false } }).catch(() => ({ data: undefined }));
    if (data) setNotice(`${username} has a token (see Tokens).`);
  }

  const page = users.data?.users;
  return (
    <>
      <div className="toolbar">
        <button type="button" className="toolbar-start" aria-expanded={adding} onClick={() => { setNotice(null); setAdding(!adding); }}>
          Add user
        </button>
        <SearchBox label="Search users by username or email" onSearch={(value) => { setSearch(value); setOffset(0); }} />
      </div>
      {adding ? (
        <AdminAddUser
          onCreated={(username) => { setAdding(false); setNotice(`Added ${username}, with a token of their own.`); }}
          onCancel={() => setAdding(false)}
        />
      ) : null}
      {notice ? <SuccessNotice>{notice}</SuccessNotice> : null}
      {failure ? <ErrorNotice error={failure} /> : null}
      {users.error ? <ErrorNotice error={users.error} onRetry={() => void users.refetch()} /> : null}
      {!page && users.loading ? <Loading what="users" /> : null}
      {page && page.total === 0 ? <p className="empty">{search ? `No users match “${search}”.` : 'No users.'}</p> : null}
      {page && page.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Username</th>
              <th>Role</th>
              <th>Status</th>
              <th>Joined</th>
              <th>Last login</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {page.items.map((user) => (
              <tr key={user.id} data-username={user.username}>
                <td>
                  <strong>{user.username}</strong>
                  <div className="muted">{user.email}</div>
                </td>
                <td>{user.isSuperuser ? 'Superuser' : user.isStaff ? 'Staff' : 'User'}</td>
                <td>
                  <span className={user.isActive ? 'badge badge-ok' : 'badge badge-off'}>{user.isActive ? 'Active' : 'Inactive'}</span>
                </td>
                <td className="nowrap">{formatDate(user.dateJoined)}</td>
                <td className="nowrap">{formatDate(user.lastLogin)}</td>
                <td className="row-actions">
                  <button type="button" className="button-small" disabled={activation.loading} aria-label={`${user.isActive ? 'Deactivate' : 'Activate'} ${user.username}`} onClick={() => void toggle(user.id, user.username, !user.isActive)}>
                    {user.isActive ? 'Deactivate' : 'Activate'}
                  </button>
                  <button type="button" className="button-small" disabled={creation.loading} aria-label={`Add a token for ${user.username}`} onClick={() => void giveToken(user.username)}>
                    Add token
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
