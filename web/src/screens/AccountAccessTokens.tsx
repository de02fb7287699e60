/**
 * "Access tokens" under the account: tokens for machines (createAccessToken), with scopes by resource (read
 * or write), GitHub's expiry choices, networks and a rate; the new key shown once with a copy button; the
 * list with Rotate (and how long the old key keeps working) and Revoke. Creating and rotating ask for the
 * password first when the session is not fresh: the reauthentication link does that for every screen.
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { fieldErrors } from '../apollo/errors';
import { CopyButton } from '../components/CopyButton';
import { Field } from '../components/Field';
import { ErrorNotice, Loading, SuccessNotice } from '../components/Notice';
import { formatDate } from '../format';
import { AccessScopesDocument, CreateAccessTokenDocument, MeDocument, MyTokensDocument, RevokeTokenDocument, RotateTokenDocument } from '../operations/account';

/** GitHub's expiry choices, and custom. */
const EXPIRY_CHOICES = ['7', '30', '60', '90'];
/** How long a rotated key keeps working (Stripe's roll-key choice). */
const GRACE_CHOICES: [string, number][] = [
  ['Stops at once', 0],
  ['Works 1 more hour', 3600],
  ['Works 1 more day', 86_400],
  ['Works 7 more days', 604_800],
];

type Access = '' | 'read' | 'write';

export function AccountAccessTokens() {
  const me = useQuery(MeDocument);
  const scopes = useQuery(AccessScopesDocument);
  const tokens = useQuery(MyTokensDocument);
  const [create, creation] = useMutation(CreateAccessTokenDocument, { refetchQueries: [MyTokensDocument] });
  const [rotate, rotation] = useMutation(RotateTokenDocument, { refetchQueries: [MyTokensDocument] });
  const [revoke, revocation] = useMutation(RevokeTokenDocument, { refetchQueries: [MyTokensDocument] });

  const [name, setName] = useState('');
  const [access, setAccess] = useState<Record<string, Access>>({});
  const [expiry, setExpiry] = useState('30');
  const [customDays, setCustomDays] = useState('');
  const [networks, setNetworks] = useState('');
  const [rate, setRate] = useState('');
  const [shown, setShown] = useState<{ token: string; name: string; rotated: boolean } | null>(null);
  const [grace, setGrace] = useState<Record<string, number>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const errors = fieldErrors(creation.error);

  // Resources in the server's order; admin only for staff (the server refuses it to others anyway).
  const resources = [...new Set((scopes.data?.accessScopes ?? []).map((scope) => scope.name.split(':')[0]))].filter(
    (resource) => resource !== 'admin' || me.data?.me.isStaff,
  );
  const chosenScopes = Object.entries(access).flatMap(([resource, level]) => (level ? [`${resource}:${level}`] : []));

  function setLevel(resource: string, level: 'read' | 'write', checked: boolean) {
    setAccess((current) => {
      const now = current[resource] ?? '';
      // Write includes read: unticking read clears write too, ticking write ticks read.
      if (level === 'write') return { ...current, [resource]: checked ? 'write' : now === 'write' ? 'read' : now };
      return { ...current, [resource]: checked ? (now === 'write' ? 'write' : 'read') : '' };
    });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    creation.reset();
    setShown(null);
    setNotice(null);
    const days = expiry === 'custom' ? Number(customDays || 'NaN') : Number(expiry);
    const { data } = await create({
      variables: {
        name,
        scopes: chosenScopes,
        expiresInDays: Number.isFinite(days) ? days : null,
        allowedCidrs: networks.split(/[\s,]+/).filter(Boolean),
        rate: rate.trim() || null,
      },
    }).catch(() => ({ data: undefined }));
    if (data) {
      setShown({ token: data.createAccessToken.token, name: data.createAccessToken.name, rotated: false });
      setName('');
      setAccess({});
      setNetworks('');
      setRate('');
    }
  }

  async function rotateToken(id: string, tokenName: string) {
    setShown(null);
    setNotice(null);
    const { data } = await rotate({ variables: { id, graceSeconds: grace[id] ?? 0 } }).catch(() => ({ data: undefined }));
    if (data) setShown({ token: data.rotateToken.token, name: tokenName, rotated: true });
  }

  async function revokeToken(id: string, tokenName: string) {
    setShown(null);
    setNotice(null);
    const { data } = await revoke({ variables: { id } }).catch(() => ({ data: undefined }));
    if (data) setNotice(`Revoked “${tokenName}”: it no longer works.`);
  }

  const items = tokens.data?.myTokens.filter((token) => token.kind === 'ACCESS');
  const failure = rotation.error ?? revocation.error;
  return (
    <section aria-labelledby="access-tokens-title">
      <h2 id="access-tokens-title">Access tokens</h2>
      <p className="aside">For scripts, CI jobs and integrations: each token may do only what its scopes allow, expires, and can be limited to networks and a rate.</p>

      {shown ? (
        <div className="new-key" role="status" data-testid="new-access-token">
          <p>
            <strong>{shown.rotated ? `New key for “${shown.name}”.` : `Access token “${shown.name}” created.`}</strong> Copy it now: it will not be shown
            again.
          </p>
          <p className="token-line">
            <code className="token">{shown.token}</code> <CopyButton value={shown.token} label="Copy the access token" />
          </p>
        </div>
      ) : null}
      {notice ? <SuccessNotice>{notice}</SuccessNotice> : null}
      {failure ? <ErrorNotice error={failure} /> : null}
      {tokens.error ? <ErrorNotice error={tokens.error} onRetry={() => void tokens.refetch()} /> : null}
      {!items && tokens.loading ? <Loading what="your access tokens" /> : null}
      {items && items.length === 0 ? <p className="empty">No access tokens yet.</p> : null}
      {items && items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Token</th>
              <th>Scopes</th>
              <th>Expires</th>
              <th>Last used</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {items.map((token) => (
              <tr key={token.id} data-testid="access-token" data-name={token.name}>
                <td>
                  <strong>{token.name}</strong>
                  <div className="muted">
                    <code>{token.tokenKey}…</code>
                    {token.allowedCidrs?.length ? ` · from ${token.allowedCidrs.join(', ')}` : ''}
                    {token.rate ? ` · ${token.rate}` : ''}
                  </div>
                </td>
                <td>
                  <span className="scopes">
                    {(token.scopes ?? []).map((scope) => (
                      <span key={scope} className="badge">
                        {scope}
                      </span>
                    ))}
                  </span>
                </td>
                <td className="nowrap">{token.expiry ? formatDate(token.expiry) : 'Never'}</td>
                <td className="nowrap">{formatDate(token.lastUsed)}</td>
                <td className="row-actions">
                  <select aria-label={`When ${token.name} is rotated, the old key`} value={grace[token.id] ?? 0} onChange={(e) => setGrace({ ...grace, [token.id]: Number(e.target.value) })}>
                    {GRACE_CHOICES.map(([label, seconds]) => (
                      <option key={seconds} value={seconds}>
                        {label}
                      </option>
                    ))}
                  </select>
                  <button type="button" className="button-small" disabled={rotation.loading} aria-label={`Rotate ${token.name}`} onClick={() => void rotateToken(token.id, token.name)}>
                    Rotate
                  </button>
                  <button type="button" className="button-small" disabled={revocation.loading} aria-label={`Revoke ${token.name}`} onClick={() => void revokeToken(token.id, token.name)}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h3>New access token</h3>
      {errors.form ? <ErrorNotice error={creation.error}>{errors.form}</ErrorNotice> : null}
      <form onSubmit={submit} noValidate aria-label="New access token">
        <Field label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} hint="What it is for, e.g. “GitHub Actions deploy”." />
        <fieldset className="scope-grid" aria-invalid={errors.scopes ? true : undefined}>
          <legend>Scopes</legend>
          {resources.map((resource) => (
            <div className="scope-row" key={resource}>
              <strong>{resource}</strong>
              <label>
                <input type="checkbox" aria-label={`${resource}: read`} checked={Boolean(access[resource])} disabled={access[resource] === 'write'} onChange={(e) => setLevel(resource, 'read', e.target.checked)} /> read
              </label>
              <label>
                <input type="checkbox" aria-label={`${resource}: write`} checked={access[resource] === 'write'} onChange={(e) => setLevel(resource, 'write', e.target.checked)} /> write
              </label>
            </div>
          ))}
          {errors.scopes ? (
            <p className="field-error" role="alert">
              {errors.scopes}
            </p>
          ) : null}
        </fieldset>
        <div className="field">
          <label htmlFor="access-token-expiry">Expires in</label>
          <select id="access-token-expiry" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {EXPIRY_CHOICES.map((days) => (
              <option key={days} value={days}>
                {days} days
              </option>
            ))}
            <option value="custom">Custom…</option>
          </select>
        </div>
        {expiry === 'custom' ? <Field label="Days" name="expiresInDays" type="number" min={1} value={customDays} onChange={(e) => setCustomDays(e.target.value)} error={errors.expiresInDays} /> : null}
        {expiry !== 'custom' && errors.expiresInDays ? <p className="field-error">{errors.expiresInDays}</p> : null}
        <Field label="Networks (optional)" name="allowedCidrs" value={networks} onChange={(e) => setNetworks(e.target.value)} error={errors.allowedCidrs} hint="Addresses or networks it may be used from, separated by commas, e.g. 10.0.0.0/8. Empty: anywhere." />
        <Field label="Rate (optional)" name="rate" value={rate} onChange={(e) => setRate(e.target.value)} error={errors.rate} hint="At most this many uses, e.g. 100/minute. Empty: no limit." />
        <button type="submit" className="button-primary" disabled={creation.loading}>
          {creation.loading ? 'Creating…' : 'Create access token'}
        </button>
      </form>
    </section>
  );
}
