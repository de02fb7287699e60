/**
 * Sudo mode's prompt: asked by the reauthentication link (apollo/reauthentication.ts) when the server wants
 * the password confirmed before a credential is minted or a staff write is made. It sends confirmPassword and
 * answers the link, which then sends the held operation again. Cancel lets the original refusal through.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { fieldErrors } from '../apollo/errors';
import { registerPasswordPrompt } from '../apollo/reauthentication';
import { Field } from '../components/Field';
import { ErrorNotice } from '../components/Notice';
import { ConfirmPasswordDocument } from '../operations/account';

export function PasswordPrompt() {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const answer = useRef<((confirmed: boolean) => void) | null>(null);
  const [confirmPassword, { loading, error, reset }] = useMutation(ConfirmPasswordDocument);
  const errors = fieldErrors(error);

  useEffect(() => {
    registerPasswordPrompt(
      () =>
        new Promise<boolean>((resolve) => {
          answer.current = resolve;
          reset();
          setPassword('');
          setOpen(true);
        }),
    );
    return () => registerPasswordPrompt(null);
  }, [reset]);

  function close(confirmed: boolean) {
    setOpen(false);
    setPassword('');
    answer.current?.(confirmed);
    answer.current = null;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    reset();
    const { data } = await confirmPassword({ variables: { password } }).catch(() => ({ data: undefined }));
    if (data?.confirmPassword) close(true);
  }

  if (!open) return null;
  return (
    <div className="modal-backdrop">
      <section className="card modal" role="dialog" aria-modal="true" aria-labelledby="sudo-title">
        <h2 id="sudo-title">Confirm your password</h2>
        <p className="aside">This action creates credentials or changes other accounts: confirm your password to continue. It stays confirmed for a while.</p>
        {errors.form ? <ErrorNotice error={error}>{errors.form}</ErrorNotice> : null}
        <form onSubmit={submit} noValidate aria-label="Confirm your password">
          <Field label="Your password" name="password" type="password" autoComplete="current-password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} error={errors.password} />
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={loading}>
              {loading ? 'Confirming…' : 'Confirm'}
            </button>
            <button type="button" onClick={() => close(false)} disabled={loading}>
              Cancel
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
