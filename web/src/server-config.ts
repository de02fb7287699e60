/**
 * What the page knows about its server: src/web.ts writes the server's settings into <meta> tags of the
 * HTML it serves, so the client needs no extra request. Without them (a static host, `vite preview`) the
 * server's defaults apply.
 */
function meta(name: string): string | null {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? null;
}

/** The Authorization scheme (the server's AUTH_KEYWORD), `Token` unless configured otherwise. */
export const authKeyword: string = meta('auth-keyword') || 'Token';

/** Whether the server answers introspection (its INTROSPECTION setting); the playground's docs need it. */
export const introspection: boolean = meta('introspection') !== 'false';

/** Why introspection is off (the production default, or INTROSPECTION=false), in the server's words. */
export const introspectionRefusal: string = meta('introspection-refusal') || 'GraphQL introspection is off on this server.';

/**
 * Whether the server keeps sessions in an HttpOnly cookie (its AUTH_COOKIE): the app then logs in with
 * startSession and keeps no key anywhere a script can read.
 */
export const cookieSessions: boolean = meta('auth-cookie') === 'true';

/** The server's TRUSTED_DOCUMENTS (off, log or enforce), for the playground to say why free text is refused. */
export const trustedDocuments: string = meta('trusted-documents') || 'off';

export const graphqlUrl = '/graphql';

/** Subscriptions: the same path over WebSocket (wss on an https page). */
export function graphqlWsUrl(): string {
  return `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${graphqlUrl}`;
}

export function authorizationHeader(token: string): string {
  return `${authKeyword} ${token}`;
}
