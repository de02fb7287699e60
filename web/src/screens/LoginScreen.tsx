/**
 * Log in with username and password (`login`: a login token for this browser, named after it; with the
 * server's cookie sessions, `startSession`, whose token only the HttpOnly cookie holds); shows why the
 * previous session ended, if it did.
 */
import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { fieldErrors } from '../apollo/errors';
import { COOKIE_SESSION, sessionEndReason, setToken } from '../auth/token-store';
import { Field } from '../components/Field';
import { ErrorNotice, SuccessNotice } from '../components/Notice';
import { deviceName } from '../auth/device-name';
import { LoginDocument, StartSessionDocument } from '../operations/account';
import { cookieSessions } from '../server-config';
import { followLink, navigate, paths } from '../router';

export function LoginScreen() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [login, loginState] = useMutation(LoginDocument);
  const [startSession, sessionState] = useMutation(StartSessionDocument);
  const { loading, error, reset } = cookieSessions ? sessionState : loginState;
  const [endReason] = useState(sessionEndReason);
  const errors = fieldErrors(error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    reset();
    const variables = { username, password, name: deviceName() };
    if (cookieSessions) {
      const { data } = await startSession({ variables }).catch(() => ({ data: undefined }));
      if (!data) return;
      setToken(COOKIE_SESSION);
    } else {
      const { data } = await login({ variables }).catch(() => ({ data: undefined }));
      if (!data) return;
      setToken(data.login.token);
    }
    navigate(paths.products, { replace: true });
  }

  return (
    <section className="card card-narrow" aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      {endReason && !error ? (
        endReason === LOGGED_OUT || endReason === LOGGED_OUT_EVERYWHERE ? <SuccessNotice>{endReason}</SuccessNotice> : <ErrorNotice error={null}>{endReason}</ErrorNotice>
      ) : null}
      {errors.form ? <ErrorNotice error={error}>{errors.form}</ErrorNotice> : null}
      <form onSubmit={submit} noValidate>
        <Field label="Username" name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} error={errors.username} autoFocus />
        <Field label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={errors.password} />
        <button type="submit" className="button-primary" disabled={loading}>
          {loading ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p className="aside">
        No account yet? <a href={paths.register} onClick={followLink}>Register</a>
      </p>
    </section>
  );
}

/** The note left by a deliberate logout (as opposed to a server's 401 message). */
export const LOGGED_OUT = 'You have been logged out.';

/** The note left by "Log out everywhere". */
export const LOGGED_OUT_EVERYWHERE = 'You have been logged out on every device.';
