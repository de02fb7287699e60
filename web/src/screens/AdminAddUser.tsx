/**
 * The admin's "Add user": staff create accounts, validated as register is, with their token made at once by
 * the server. Only a superuser may create staff or superusers: for others those boxes are not offered (the
 * server refuses them anyway, with 403).
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { fieldErrors } from '../apollo/errors';
import { Field } from '../components/Field';
import { ErrorNotice } from '../components/Notice';
import { MeDocument } from '../operations/account';
import { AdminTokensDocument, AdminUsersDocument, CreateUserDocument } from '../operations/admin';

const EMPTY = { username: '', email: '', password: '', firstName: '', lastName: '', isActive: true, isStaff: false, isSuperuser: false };

export function AdminAddUser({ onCreated, onCancel }: { onCreated: (username: string) => void; onCancel: () => void }) {
  const [form, setForm] = useState(EMPTY);
  const superuser = useQuery(MeDocument).data?.me.isSuperuser ?? false;
  const [createUser, creation] = useMutation(CreateUserDocument, { refetchQueries: [AdminUsersDocument, AdminTokensDocument] });
  const errors = fieldErrors(creation.error);

  const text = (name: 'username' | 'email' | 'password' | 'firstName' | 'lastName') => (event: { target: { value: string } }) =>
    setForm({ ...form, [name]: event.target.value });
  const flag = (name: 'isActive' | 'isStaff' | 'isSuperuser') => (event: { target: { checked: boolean } }) =>
    setForm({ ...form, [name]: event.target.checked });

  async function submit(event: FormEvent) {
    event.preventDefault();
    creation.reset();
    const { data } = await createUser({ variables: { input: form } }).catch(() => ({ data: undefined }));
    if (data) onCreated(data.createUser.username);
  }

  return (
    <form className="subform" onSubmit={submit} noValidate aria-labelledby="add-user-title">
      <h2 id="add-user-title">Add user</h2>
      {errors.form ? <ErrorNotice error={creation.error}>{errors.form}</ErrorNotice> : null}
      <div className="field-row">
        <Field label="Username" name="username" autoComplete="off" value={form.username} onChange={text('username')} error={errors.username} autoFocus />
        <Field label="Email" name="email" type="email" autoComplete="off" value={form.email} onChange={text('email')} error={errors.email} />
      </div>
      <Field label="Password" name="password" type="password" autoComplete="new-password" value={form.password} onChange={text('password')} error={errors.password} hint="At least 8 characters, not entirely numeric." />
      <div className="field-row">
        <Field label="First name (optional)" name="firstName" value={form.firstName} onChange={text('firstName')} error={errors.firstName} />
        <Field label="Last name (optional)" name="lastName" value={form.lastName} onChange={text('lastName')} error={errors.lastName} />
      </div>
      <fieldset className="checks">
        <legend>Permissions</legend>
        <label>
          <input type="checkbox" checked={form.isActive} onChange={flag('isActive')} /> Active
        </label>
        {superuser ? (
          <>
            <label>
              <input type="checkbox" checked={form.isStaff || form.isSuperuser} disabled={form.isSuperuser} onChange={flag('isStaff')} /> Staff
            </label>
            <label>
              <input type="checkbox" checked={form.isSuperuser} onChange={flag('isSuperuser')} /> Superuser (also staff)
            </label>
          </>
        ) : (
          <span className="field-hint">Only a superuser may create staff or superusers.</span>
        )}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={creation.loading}>
          {creation.loading ? 'Adding…' : 'Add user'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
