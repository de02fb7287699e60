/**
 * The one vocabulary for the two kinds of token, used alike by the token store (its lookups), the sockets
 * (their credentials in src/realtime/socket-registry.ts), the revocation notifications (`"kind"` in
 * `authtoken_revoked` payloads, sent by the token_kinds migration's triggers) and the schema (`TokenKind`):
 *
 * - `AUTHTOKEN`: DRF's token (`authtoken_token`), one per user, made by obtainAuthToken.
 * - `LOGIN`: a login token (`authtoken_login_token`, knox's AuthToken), one per device, made by login.
 * - `ACCESS`: an access token (issue 20), made by createAccessToken. It is stored in the login tokens' table
 *   (`kind = 'access'`), so where a kind names the table (socket credentials, revocation payloads) it is
 *   `LOGIN`; `ACCESS` is what `tokenInfo` and `AuthToken.kind` tell a client.
 *
 * The values are the schema's enum values, so what a client reads in `tokenInfo { kind }` is what a
 * revocation payload and a log line say. A new token table adds its kind here first.
 */
import { registerEnumType } from 'type-graphql';

export enum TokenKind {
  AUTHTOKEN = 'AUTHTOKEN',
  LOGIN = 'LOGIN',
  ACCESS = 'ACCESS',
}

registerEnumType(TokenKind, {
  name: 'TokenKind',
  description: 'AUTHTOKEN: the DRF token (obtainAuthToken). LOGIN: a login token (login). ACCESS: an access token (createAccessToken).',
  valuesConfig: {
    AUTHTOKEN: { description: "DRF's token, one per user." },
    LOGIN: { description: 'A login token, one per device.' },
    ACCESS: { description: 'An access token, for a machine: scoped, expiring, optionally bound to networks and rate-limited.' },
  },
});
