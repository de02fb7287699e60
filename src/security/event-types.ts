/**
 * The security log's event types, each with the short code Auth0's log uses for the same event (docs/security-log.md
 * lists them), where Auth0 has one. Adding a type is one line here; the schema's enum follows.
 */
import { registerEnumType } from 'type-graphql';

export enum SecurityEventType {
  LOGIN_SUCCEEDED = 'LOGIN_SUCCEEDED',
  LOGIN_FAILED_PASSWORD = 'LOGIN_FAILED_PASSWORD',
  LOGIN_FAILED_UNKNOWN_USER = 'LOGIN_FAILED_UNKNOWN_USER',
  LOGIN_FAILED_INACTIVE = 'LOGIN_FAILED_INACTIVE',
  LOGIN_THROTTLED = 'LOGIN_THROTTLED',
  LOGOUT = 'LOGOUT',
  LOGOUT_ALL = 'LOGOUT_ALL',
  TOKEN_CREATED = 'TOKEN_CREATED',
  TOKEN_REVOKED = 'TOKEN_REVOKED',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  TOKEN_ROTATED = 'TOKEN_ROTATED',
  TOKEN_NETWORK_REFUSED = 'TOKEN_NETWORK_REFUSED',
  PASSWORD_CHANGED = 'PASSWORD_CHANGED',
  PASSWORD_SET = 'PASSWORD_SET',
  PASSWORD_CONFIRMED = 'PASSWORD_CONFIRMED',
  USER_REGISTERED = 'USER_REGISTERED',
  USER_CREATED = 'USER_CREATED',
  USER_DEACTIVATED = 'USER_DEACTIVATED',
  USER_ACTIVATED = 'USER_ACTIVATED',
  PERMISSION_DENIED = 'PERMISSION_DENIED',
  MUTATION = 'MUTATION',
}

/** What each type means, and Auth0's code for it (in the schema's descriptions and the docs). */
export const EVENT_TYPES: Record<SecurityEventType, { auth0: string | null; description: string }> = {
  LOGIN_SUCCEEDED: { auth0: 's', description: 'obtainAuthToken or login succeeded; the token is the one it returned.' },
  LOGIN_FAILED_PASSWORD: { auth0: 'fp', description: 'A wrong password for an existing user (changePassword\'s current password too).' },
  LOGIN_FAILED_UNKNOWN_USER: { auth0: 'fu', description: 'A login with a username no user has.' },
  LOGIN_FAILED_INACTIVE: { auth0: 'f', description: 'The right password for an inactive user.' },
  LOGIN_THROTTLED: { auth0: 'limit_wc', description: 'Answers 429 by a throttle (`detail.scope`): one event per address, scope and window, `count` of them.' },
  LOGOUT: { auth0: 'slo', description: 'logout: the token that authenticated the call was deleted.' },
  LOGOUT_ALL: { auth0: 'slo', description: 'logoutAll: every token of the user deleted (`detail.count`).' },
  TOKEN_CREATED: { auth0: 'sertft', description: 'A token was made (`detail.tokenKind`, `detail.tokenKey`).' },
  TOKEN_REVOKED: { auth0: 'srrt', description: 'A token was deleted before its time, one event per token (`detail.tokenKind`, `detail.tokenKey`).' },
  TOKEN_EXPIRED: { auth0: null, description: 'An expired login token was presented (and deleted).' },
  TOKEN_ROTATED: { auth0: 'sertft', description: 'rotateToken: an access token got a new key (`detail.tokenKey`, the new one; `detail.previousTokenKey`, `detail.graceSeconds`).' },
  TOKEN_NETWORK_REFUSED: { auth0: 'f', description: 'An access token was presented from outside its allowedCidrs (answered 401 as an unknown key is).' },
  PASSWORD_CHANGED: { auth0: 'scp', description: 'changePassword: the user changed their own password.' },
  PASSWORD_SET: { auth0: 'scp', description: 'setPassword: staff set the user\'s password (`actorId`).' },
  PASSWORD_CONFIRMED: { auth0: null, description: 'confirmPassword: the calling token is fresh for sudo mode. (obtainAuthToken and login mark the token they return too: their LOGIN_SUCCEEDED stands for it.)' },
  USER_REGISTERED: { auth0: 'ss', description: 'register: the user signed up.' },
  USER_CREATED: { auth0: 'sapi', description: 'Staff (createUser) or `manage createsuperuser` made the user.' },
  USER_DEACTIVATED: { auth0: 'sapi', description: 'setUserActive(active: false).' },
  USER_ACTIVATED: { auth0: 'sapi', description: 'setUserActive(active: true).' },
  PERMISSION_DENIED: { auth0: null, description: 'A 403: a staff-only field, a staff rule, a scope an access token lacks or a field it may never use, or sudo mode (`detail.reason`).' },
  MUTATION: { auth0: null, description: 'A mutation that succeeded while authenticated by a token (`detail.fields`): a token\'s trail.' },
};

registerEnumType(SecurityEventType, {
  name: 'SecurityEventType',
  description: 'What a security event records; docs/security-log.md gives the Auth0 code of each.',
  valuesConfig: Object.fromEntries(
    Object.entries(EVENT_TYPES).map(([name, { auth0, description }]) => [name, { description: auth0 ? `${description} (Auth0: ${auth0})` : description }]),
  ),
});
