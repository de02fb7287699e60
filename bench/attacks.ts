/**
 * The hostile requests of scenario (f), as they were sent when the operation limits were missing: each cost
 * the server seconds (40 registrations hashed) or tens of megabytes (1,000 pages of 100 products).
 */
import type { Request } from './load';

const register = (i: number) =>
  `r${i}: register(input: {username: "attacker${i}", email: "attacker${i}@example.com", password: "correct horse"}) { id }`;

/** 40 aliased registrations in one anonymous mutation: refused by MAX_ALIASES before any hashing. */
export const aliasedRegister: Request = {
  query: `mutation { ${Array.from({ length: 40 }, (_, i) => register(i)).join(' ')} }`,
  status: 400,
  contains: 'Aliases limit of 15 exceeded, found 40.',
};

/** 1,000 aliased pages of 100 products (55 kB), with a valid token: refused by MAX_TOKENS before parsing. */
export function aliasedProducts(authorization: string): Request {
  const page = (i: number) => `p${i}: products(limit: 100) { items { id name description price } total }`;
  return {
    query: `{ ${Array.from({ length: 1000 }, (_, i) => page(i)).join(' ')} }`,
    authorization,
    status: 400,
    contains: 'Token limit of 1000 exceeded',
  };
}
