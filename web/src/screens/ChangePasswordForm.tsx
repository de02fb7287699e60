/**
 * Change password (changePassword): the current one, then the new one. Every other device is logged out;
 * this one stays. Errors appear next to their field, the server's (Django's) wording.
 */
import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { fieldErrors } from '../apollo/errors';
import { Field } from '../components/Field';
import { ErrorNotice, SuccessNotice } from '../components/Notice';
import { ChangePasswordDocument, MyTokensDocument } from '../operations/account';

export function ChangePasswordForm() {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [done, setDone] = useState(false);
  const [changePassword, { loading, error, reset }] = useMutation(ChangePasswordDocument, { refetchQueries: [MyTokensDocument] });
  const errors = fieldErrors(error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    reset();
    setDone(false);
    const { data } = await changePassword({ variables: { currentPassword, newPassword } }).catch(() => ({ data: undefined }));
    if (data) {
      setDone(true);
      setCurrentPassword('');
      setNewPassword('');
    }
  }

  return (
    <section aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      {done ? <SuccessNotice>Your password was changed. Your other devices have been logged out.</SuccessNotice> : null}
      {errors.form ? <ErrorNotice error={error}>{errors.form}</ErrorNotice> : null}
      <form onSubmit={submit} noValidate aria-label="Change password">
        <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrentPassword(e.target.value)} error={errors.currentPassword} />
        <Field label="New password" name="newPassword" type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNewPassword(e.target.value)} error={errors.newPassword} />
        <button type="submit" className="button-primary" disabled={loading}>
          {loading ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
