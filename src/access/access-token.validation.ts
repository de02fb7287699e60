/**
 * createAccessToken's (and `manage create-access-token`'s) input, checked with DRF's field messages:
 * ChoiceField's `"<x>" is not a valid choice.`, ListField's `This list may not be empty.`, IntegerField's
 * bounds, and for networks and rate messages in the same style. Each failure is a ValidationError naming its
 * field; nothing is written before every field passed.
 */
import ipaddr from 'ipaddr.js';
import { ValidationError } from '../errors';
import type { AccessTokenSettings } from '../settings';
import type { AccessTokenSpec } from '../authtoken/token-store';
import { cleanTokenName } from '../authtoken/token.service';
import { parseRate } from '../throttles/rate';
import { requireNotBlank } from '../validation';
import { isScope, SCOPES } from './scopes';

export interface AccessTokenInput {
  name: string;
  scopes: string[];
  expiresInDays?: number | null;
  allowedCidrs?: string[] | null;
  rate?: string | null;
}

/** Networks one token may list: an allowlist, not a routing table. */
export const MAX_NETWORKS = 50;

export function requireAtLeast(value: number, min: number, field: string): void {
  if (value < min) throw new ValidationError(`${field}: Ensure this value is greater than or equal to ${min}.`, field);
}

export function requireAtMost(value: number, max: number, field: string): void {
  if (value > max) throw new ValidationError(`${field}: Ensure this value is less than or equal to ${max}.`, field);
}

/**
 * A network as `address/prefix` (a bare address is a network of one), in PostgreSQL's cidr form; host bits
 * set beyond the prefix (`10.1.2.3/8`) are refused as PostgreSQL's cidr and Python's ip_network refuse them.
 */
export function cleanNetwork(raw: string): string {
  const invalid = new ValidationError('allowedCidrs: Enter a valid IPv4 or IPv6 network.', 'allowedCidrs');
  const match = /^([^/]+?)(?:\/(\d{1,3}))?$/.exec(raw.trim());
  if (!match) throw invalid;
  const [, text, prefixText] = match;
  // Four dotted decimals only: ipaddr.js also takes inet_aton's shorthands ("10" is 0.0.0.10).
  const v6 = text.includes(':');
  if (v6 ? !ipaddr.IPv6.isValid(text) || text.includes('%') : !ipaddr.IPv4.isValidFourPartDecimal(text)) throw invalid;
  const bits = v6 ? 128 : 32;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) throw invalid;
  const cidr = `${text}/${prefix}`;
  const address = ipaddr.parse(text);
  const network = v6 ? ipaddr.IPv6.networkAddressFromCIDR(cidr) : ipaddr.IPv4.networkAddressFromCIDR(cidr);
  if (network.toString() !== address.toString()) throw invalid;
  return `${network.toString()}/${prefix}`;
}

export function cleanAccessToken(input: AccessTokenInput, settings: AccessTokenSettings): AccessTokenSpec {
  const name = cleanTokenName(input.name);
  requireNotBlank(name, 'name');

  if (input.scopes.length === 0) throw new ValidationError('scopes: This list may not be empty.', 'scopes');
  for (const scope of input.scopes) {
    if (!isScope(scope)) throw new ValidationError(`scopes: "${scope}" is not a valid choice.`, 'scopes');
  }
  const scopes = SCOPES.filter((scope) => input.scopes.includes(scope));

  let expiresInDays: number | null;
  if (input.expiresInDays === null || input.expiresInDays === undefined) {
    // With no cap, an omitted expiry is a token that never expires (GitHub's "No expiration").
    expiresInDays = settings.maxDays === 0 ? null : settings.defaultDays;
  } else {
    expiresInDays = input.expiresInDays;
    requireAtLeast(expiresInDays, 1, 'expiresInDays');
    if (settings.maxDays > 0) requireAtMost(expiresInDays, settings.maxDays, 'expiresInDays');
    // PostgreSQL's intervals end somewhere: a century is "never" for any machine's credential.
    else requireAtMost(expiresInDays, 36_600, 'expiresInDays');
  }

  const networks = input.allowedCidrs ?? [];
  if (networks.length > MAX_NETWORKS) {
    throw new ValidationError(`allowedCidrs: Ensure this field has no more than ${MAX_NETWORKS} elements.`, 'allowedCidrs');
  }
  const allowedCidrs = [...new Set(networks.map(cleanNetwork))];

  let rate = null;
  if (input.rate !== null && input.rate !== undefined) {
    rate = parseRate(input.rate) ?? null;
    if (!rate) throw new ValidationError('rate: Enter a rate such as 100/minute.', 'rate');
  }
  return { name, scopes, expiresInDays, allowedCidrs, rate };
}
