/**
 * The shell: which screen a path shows, depending on whether a token is stored, and the header with the
 * navigation. Logged out, only /login and /register exist; logged in, those two lead to the products.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { isUnauthenticated } from './apollo/errors';
import { clearToken, getToken, subscribe } from './auth/token-store';
import { ErrorNotice } from './components/Notice';
import { LogoutDocument, MeDocument } from './operations/account';
import { followLink, navigate, paths, usePath } from './router';
import { AccountScreen } from './screens/AccountScreen';
import { AdminScreen } from './screens/AdminScreen';
import { LOGGED_OUT, LoginScreen } from './screens/LoginScreen';
import { PasswordPrompt } from './screens/PasswordPrompt';
import { ProductsScreen } from './screens/ProductsScreen';
import { RegisterScreen } from './screens/RegisterScreen';

export function App() {
  const token = useSyncExternalStore(subscribe, getToken);
  const client = useApolloClient();

  useEffect(() => {
    // Whoever logs in next must not see the previous user's cached data.
    if (!token) void client.clearStore();
  }, [token, client]);

  return token ? <SignedIn /> : <SignedOut />;
}

function SignedOut() {
  const path = usePath();
  const register = path === paths.register;
  useEffect(() => {
    if (!register && path !== paths.login) navigate(paths.login, { replace: true });
  }, [path, register]);
  return (
    <>
      <Header />
      <main>{register ? <RegisterScreen /> : <LoginScreen />}</main>
    </>
  );
}

function SignedIn() {
  const path = usePath();
  const me = useQuery(MeDocument);
  const user = me.data?.me;
  const screens: Record<string, () => React.JSX.Element> = {
    [paths.products]: ProductsScreen,
    [paths.account]: AccountScreen,
    ...(user?.isStaff ? { [paths.admin]: AdminScreen } : {}),
  };
  const known = path in screens || (path === paths.admin && !user);
  useEffect(() => {
    if (!known) navigate(paths.products, { replace: true });
  }, [known]);
  const Screen = screens[path];

  return (
    <>
      <Header user={user ? { username: user.username, isStaff: user.isStaff } : undefined} path={path} />
      <main>
        {me.error && !user && !isUnauthenticated(me.error) ? <ErrorNotice error={me.error} onRetry={() => void me.refetch()} /> : null}
        {Screen ? <Screen /> : null}
      </main>
      <PasswordPrompt />
    </>
  );
}

function Header({ user, path }: { user?: { username: string; isStaff: boolean }; path?: string }) {
  const signedIn = Boolean(getToken());
  const link = (href: string, label: string) => (
    <a href={href} onClick={followLink} aria-current={path === href ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <header className="topbar">
      <a className="brand" href={signedIn ? paths.products : paths.login} onClick={followLink}>
        graphql-authtoken
      </a>
      <nav aria-label="Main">
        {signedIn ? (
          <>
            {link(paths.products, 'Products')}
            {link(paths.account, 'Account')}
            {user?.isStaff ? link(paths.admin, 'Admin') : null}
          </>
        ) : null}
        <a href="/playground">Playground</a>
      </nav>
      <div className="who">{signedIn ? <SignedInAs username={user?.username} /> : null}</div>
    </header>
  );
}

function SignedInAs({ username }: { username?: string }) {
  const [logout, { loading }] = useMutation(LogoutDocument);
  const [failed, setFailed] = useState<unknown>(null);

  async function logOut() {
    setFailed(null);
    try {
      await logout();
      clearToken(LOGGED_OUT);
    } catch (error) {
      // A 401 has already ended the session (the link cleared the token); anything else leaves the key
      // valid on the server, so the user must know that logging out did not happen.
      if (!isUnauthenticated(error)) setFailed(error);
    }
  }

  return (
    <>
      {username ? (
        <span>
          Signed in as <strong data-testid="signed-in-as">{username}</strong>
        </span>
      ) : null}
      <button type="button" className="button-small" onClick={() => void logOut()} disabled={loading}>
        {loading ? 'Logging out…' : 'Log out'}
      </button>
      {failed ? <ErrorNotice error={failed}>Logout failed: the token is still valid. Try again.</ErrorNotice> : null}
    </>
  );
}
