/**
 * The admin's Security log section (securityEvents): every user's events, newest first, searched by type,
 * user, token key or pasted token ("what did this token do?"), address and time, paged by cursor.
 */
import { useState, type FormEvent } from 'react';
import { useQuery } from '@apollo/client/react';
import { CursorPager, useCursorPages } from '../components/CursorPager';
import { ErrorNotice, Loading } from '../components/Notice';
import { formatDate } from '../format';
import type { SecurityEventFilter, SecurityEventType } from '../gql/graphql';
import { SecurityEventsDocument } from '../operations/security';
import { describeEvent, describeToken, EVENT_LABELS, EVENT_TYPES, isWarning } from '../security-events';

const PAGE_SIZE = 25;

interface Form {
  type: SecurityEventType | '';
  username: string;
  tokenKey: string;
  ip: string;
  after: string;
  before: string;
}

const EMPTY: Form = { type: '', username: '', tokenKey: '', ip: '', after: '', before: '' };

/** A datetime-local value (the browser's time zone) as ISO 8601, or null. */
function isoOf(local: string): string | null {
  return local ? new Date(local).toISOString() : null;
}

function filterOf(form: Form): SecurityEventFilter {
  return {
    types: form.type ? [form.type] : null,
    username: form.username.trim() || null,
    tokenKey: form.tokenKey.trim() || null,
    ip: form.ip.trim() || null,
    after: isoOf(form.after),
    before: isoOf(form.before),
  };
}

export function AdminSecurityLog() {
  const [form, setForm] = useState<Form>(EMPTY);
  const [filter, setFilter] = useState<SecurityEventFilter>(filterOf(EMPTY));
  const pages = useCursorPages();
  const events = useQuery(SecurityEventsDocument, { variables: { filter, first: PAGE_SIZE, after: pages.after }, fetchPolicy: 'cache-and-network' });
  const connection = events.data?.securityEvents;

  // aria-label: the wrapping label alone would name the select after its options too.
  const field = (name: keyof Form, label: string) => ({
    'aria-label': label,
    value: form[name],
    onChange: (event: { target: { value: string } }) => setForm((current) => ({ ...current, [name]: event.target.value })),
  });

  function search(event: FormEvent) {
    event.preventDefault();
    setFilter(filterOf(form));
    pages.reset();
  }

  function clear() {
    setForm(EMPTY);
    setFilter(filterOf(EMPTY));
    pages.reset();
  }

  return (
    <>
      <form className="event-filter" role="search" aria-label="Search security events" onSubmit={search}>
        <label>
          Type
          <select {...field('type', 'Type')}>
            <option value="">Any</option>
            {EVENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {EVENT_LABELS[type]}
              </option>
            ))}
          </select>
        </label>
        <label>
          User
          <input type="search" placeholder="username" {...field('username', 'User')} />
        </label>
        <label>
          Token
          <input type="search" placeholder="token key or pasted token" {...field('tokenKey', 'Token')} />
        </label>
        <label>
          Address
          <input type="search" placeholder="203.0.113.7" {...field('ip', 'Address')} />
        </label>
        <label>
          From
          <input type="datetime-local" {...field('after', 'From')} />
        </label>
        <label>
          Until
          <input type="datetime-local" {...field('before', 'Until')} />
        </label>
        <div className="event-filter-actions">
          <button type="submit" className="button-small">
            Search
          </button>
          <button type="button" className="button-small" onClick={clear}>
            Clear
          </button>
        </div>
      </form>
      {events.error ? <ErrorNotice error={events.error} onRetry={() => void events.refetch()} /> : null}
      {!connection && events.loading ? <Loading what="security events" /> : null}
      {connection && connection.edges.length === 0 ? <p className="empty">No security events match.</p> : null}
      {connection && connection.edges.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th>User</th>
              <th>Token</th>
              <th>From</th>
              <th>Operation</th>
            </tr>
          </thead>
          <tbody>
            {connection.edges.map(({ node }) => (
              <tr key={node.id} data-testid="admin-security-event" className={isWarning(node.type) ? 'row-warning' : undefined}>
                <td className="nowrap">{formatDate(node.at)}</td>
                <td>
                  {describeEvent(node)}
                  <div className="muted">
                    {node.type}
                    {node.auth0Code ? ` · ${node.auth0Code}` : ''}
                  </div>
                </td>
                <td>
                  {node.username ?? (node.userId ? `#${node.userId}` : '—')}
                  {node.actorId && node.actorId !== node.userId ? <div className="muted">by #{node.actorId}</div> : null}
                </td>
                <td>
                  <code>{describeToken(node)}</code>
                </td>
                <td>
                  {node.ip ?? '—'}
                  {node.userAgent ? <div className="muted ua" title={node.userAgent}>{node.userAgent}</div> : null}
                </td>
                <td>
                  {node.operation ?? '—'}
                  {node.requestId ? <div className="muted ua" title={node.requestId}>{node.requestId}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {connection ? <CursorPager pages={pages} hasNextPage={connection.pageInfo.hasNextPage} endCursor={connection.pageInfo.endCursor ?? null} /> : null}
    </>
  );
}
