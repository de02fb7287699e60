/**
 * Create an account (register), then log straight in with the same credentials: obtainAuthToken, or with the
 * server's cookie sessions startSession (the key then stays in the HttpOnly cookie).
 */
import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { fieldErrors } from '../apollo/errors';
import { COOKIE_SESSION, setToken } from '../auth/token-store';
import { deviceName } from '../auth/device-name';
import { cookieSessions } from '../server-config';
import { Field } from '../components/Field';
import { ErrorNotice } from '../components/Notice';
import { ObtainAuthTokenDocument, RegisterDocument, StartSessionDocument } from '../operations/account';
import { followLink, navigate, paths } from '../router';

const EMPTY = { username: '', email: '', password: '', firstName: '', lastName: '' };

export function RegisterScreen() {
  const [form, setForm] = useState(EMPTY);
  const [register, registration] = useMutation(RegisterDocument);
  const [obtainAuthToken, obtaining] = useMutation(ObtainAuthTokenDocument);
  const [startSession, starting] = useMutation(StartSessionDocument);
  const login = cookieSessions ? starting : obtaining;
  const error = registration.error ?? login.error;
  const errors = fieldErrors(error);
  const busy = registration.loading || login.loading;

  const set = (name: keyof typeof EMPTY) => (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value });

  async function submit(event: FormEvent) {
    event.preventDefault();
    registration.reset();
    login.reset();
    const created = await register({ variables: { input: form } }).catch(() => undefined);
    if (!created?.data) return;
    const credentials = { username: form.username.trim(), password: form.password };
    if (cookieSessions) {
      const { data } = await startSession({ variables: { ...credentials, name: deviceName() } }).catch(() => ({ data: undefined }));
      if (!data) return;
      setToken(COOKIE_SESSION);
    } else {
      const { data } = await obtainAuthToken({ variables: credentials }).catch(() => ({ data: undefined }));
      if (!data) return;
      setToken(data.obtainAuthToken.token);
    }
    navigate(paths.products, { replace: true });
  }

  return (
    <section className="card card-narrow" aria-labelledby="register-title">
      <h1 id="register-title">Create an account</h1>
      {errors.form ? <ErrorNotice error={error}>{errors.form}</ErrorNotice> : null}
      <form onSubmit={submit} noValidate>
        <Field label="Username" name="username" autoComplete="username" value={form.username} onChange={set('username')} error={errors.username} hint="Letters, digits and @/./+/-/_ only." autoFocus />
        <Field label="Email" name="email" type="email" autoComplete="email" value={form.email} onChange={set('email')} error={errors.email} />
        <Field label="Password" name="password" type="password" autoComplete="new-password" value={form.password} onChange={set('password')} error={errors.password} hint="At least 8 characters, not entirely numeric." />
        <div className="field-row">
          <Field label="First name (optional)" name="firstName" autoComplete="given-name" value={form.firstName} onChange={set('firstName')} error={errors.firstName} />
          <Field label="Last name (optional)" name="lastName" autoComplete="family-name" value={form.lastName} onChange={set('lastName')} error={errors.lastName} />
        </div>
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p className="aside">
        Already registered? <a href={paths.login} onClick={followLink}>Log in</a>
      </p>
    </section>
  );
}
