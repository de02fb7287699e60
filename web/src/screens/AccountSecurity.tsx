/**
 * Account → Security: the caller's recent security events (mySecurityEvents): when, what, from where, which
 * device or token. A login the user did not make is the reason to look: the hint says what to do then.
 */
import { useQuery } from '@apollo/client/react';
import { CursorPager, useCursorPages } from '../components/CursorPager';
import { ErrorNotice, Loading } from '../components/Notice';
import { formatDate } from '../format';
import { MySecurityEventsDocument } from '../operations/security';
import { describeEvent, describeToken, isWarning } from '../security-events';

const PAGE_SIZE = 20;

export function AccountSecurity({ onRetry }: { onRetry: () => void }) {
  const pages = useCursorPages();
  const events = useQuery(MySecurityEventsDocument, { variables: { first: PAGE_SIZE, after: pages.after }, fetchPolicy: 'cache-and-network' });
  const connection = events.data?.mySecurityEvents;
  return (
    <section aria-labelledby="security-title">
      <h2 id="security-title">Security</h2>
      <p className="aside" data-testid="not-me-hint">
        Your recent sign-ins, failed attempts, tokens and password changes. Something you did not do? Revoke the device in{' '}
        <a href="#devices-title">Your devices</a> (or log out everywhere) and <a href="#password-title">change your password</a>.
      </p>
      {events.error ? <ErrorNotice error={events.error} onRetry={onRetry} /> : null}
      {!connection && events.loading ? <Loading what="your security events" /> : null}
      {connection && connection.edges.length === 0 ? <p className="empty">No security events yet.</p> : null}
      {connection && connection.edges.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th>From</th>
              <th>Device or token</th>
            </tr>
          </thead>
          <tbody>
            {connection.edges.map(({ node }) => (
              <tr key={node.id} data-testid="security-event" className={isWarning(node.type) ? 'row-warning' : undefined}>
                <td className="nowrap">{formatDate(node.at)}</td>
                <td>
                  {describeEvent(node)}
                  {node.actorId && node.actorId !== node.userId ? <div className="muted">by staff</div> : null}
                </td>
                <td>
                  {node.ip ?? '—'}
                  {node.userAgent ? <div className="muted ua" title={node.userAgent}>{node.userAgent}</div> : null}
                </td>
                <td>
                  <code>{describeToken(node)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {connection ? <CursorPager pages={pages} hasNextPage={connection.pageInfo.hasNextPage} endCursor={connection.pageInfo.endCursor ?? null} /> : null}
    </section>
  );
}
