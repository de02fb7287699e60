/**
 * Sudo mode in the web app: an operation the server answers with `REAUTHENTICATION_REQUIRED` (creating or
 * rotating an access token, a staff write) is held while the user is asked for the password; once
 * confirmPassword succeeds it is sent again, once, so no screen ever shows the raw error. A cancelled prompt
 * lets the original error through to the screen.
 *
 * The prompt itself is React's (screens/PasswordPrompt.tsx); this module is the bridge: the link asks, the
 * prompt answers.
 */
import { ApolloLink } from '@apollo/client';
import { Observable } from 'rxjs';
import { graphQLErrorsOf } from './errors';

export const REAUTHENTICATION_REQUIRED = 'REAUTHENTICATION_REQUIRED';

type Asker = () => Promise<boolean>;
let asker: Asker | null = null;
const waiting: ((confirmed: boolean) => void)[] = [];

/** The prompt registers here while it is mounted. */
export function registerPasswordPrompt(ask: Asker | null): void {
  asker = ask;
}

/** Several operations refused at once share one prompt. */
function askForPassword(): Promise<boolean> {
  if (!asker) return Promise.resolve(false);
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (waiting.length > 1) return;
    void asker!().then(
      (confirmed) => waiting.splice(0).forEach((wake) => wake(confirmed)),
      () => waiting.splice(0).forEach((wake) => wake(false)),
    );
  });
}

function needsPassword(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): boolean {
  return errors?.some((error) => error.extensions?.reason === REAUTHENTICATION_REQUIRED) ?? false;
}

export const reauthenticationLink = new ApolloLink(
  (operation, forward) =>
    new Observable<ApolloLink.Result>((observer) => {
      let current: { unsubscribe(): void } | undefined;
      const attempt = (retried: boolean) => {
        // A refusal's answer is held until the prompt settles, then either replaced by the retry or let through.
        let held: { result?: ApolloLink.Result; error?: unknown } | null = null;
        const settle = () => {
          const refusal = held!;
          void askForPassword().then((confirmed) => {
            if (confirmed) return attempt(true);
            if (refusal.error !== undefined) return observer.error(refusal.error);
            observer.next(refusal.result!);
            observer.complete();
          });
        };
        current = forward(operation).subscribe({
          next: (result) => {
            if (!retried && needsPassword(result.errors as { extensions?: Record<string, unknown> }[] | undefined)) held = { result };
            else observer.next(result);
          },
          error: (error) => {
            if (!retried && needsPassword(graphQLErrorsOf(error))) {
              held = { error };
              settle();
            } else observer.error(error);
          },
          complete: () => {
            if (held) settle();
            else observer.complete();
          },
        });
      };
      attempt(false);
      return () => current?.unsubscribe();
    }),
);
