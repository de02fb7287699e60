/** Status lines: a failure with its message (and a retry button when retrying can help), and loading. */
import type { ReactNode } from 'react';
import { isUnavailable, messageOf } from '../apollo/errors';

export function ErrorNotice({ error, onRetry, children }: { error: unknown; onRetry?: () => void; children?: ReactNode }) {
  const unavailable = isUnavailable(error);
  return (
    <div className={unavailable ? 'notice notice-offline' : 'notice notice-error'} role="alert">
      <span>{children ?? messageOf(error)}</span>
      {onRetry ? (
        <button type="button" className="button-small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function SuccessNotice({ children }: { children: ReactNode }) {
  return (
    <div className="notice notice-success" role="status">
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}
