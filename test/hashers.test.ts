import crypto from 'node:crypto';
import bcrypt from 'bcrypt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { algorithmOf, dummyCheck, encodePassword, mustUpdate, verifyPassword, type PasswordPolicy } from '../src/users/hashers';
import { bcryptSha256Policy, checkPassword, hashPassword } from '../src/users/passwords';

/**
 * Stored values as Django writes them. The pbkdf2_sha256 and scrypt lines are Django's own documented test
 * vectors (make_password("lètmein", "seasalt", ...) in its hasher tests, pbkdf2 at Django 3.2's 260,000
 * iterations); the others were made by Django 3.2's make_password (and argon2-cffi for argon2i), with
 * light parameters so the suite stays fast.
 */
const PASSWORD = 'lètmein';
const VECTORS: [string, string][] = [
  ['pbkdf2_sha256', 'pbkdf2_sha256$260000$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo='],
  ['pbkdf2_sha1', 'pbkdf2_sha1$260000$seasalt2$wAibXvW6jgvatCdONi6SMJ6q7mI='],
  ['bcrypt_sha256', 'bcrypt_sha256$$2b$04$VB0y5N90ZYPYgFG7EyRl0eKtfVcW3.9Y/IZA7LJ0P4aXE6bD27z3G'],
  ['bcrypt', 'bcrypt$$2b$04$0Ge5BuQCnbvxn6bC00TktOsde4L7zjpDPTy8QKhvPWq1W7.4jFgfW'],
  ['scrypt', 'scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw=='],
  ['scrypt', 'scrypt$1024$othersalt$4$2$vOBtXHnb/dU6sSj2F4h3C2z6imB9o2fwoB5nRpSDFYpnp1Ls+r1iErPSynSH0uIPDpL7jOrM/7AUdcmmbNTvLg=='],
  ['argon2', 'argon2$argon2id$v=19$m=1024,t=1,p=1$c2Vhc2FsdHNlYXNhbHQ$d2r7/NeRsaYBQRJ4+gyn+Q'],
  ['argon2', 'argon2$argon2i$v=19$m=512,t=2,p=2$c2Vhc2FsdHNlYXNhbHQ$QallDq/1zpg73Bt1RKe/jA'],
  ['argon2', 'argon2$argon2id$v=19$m=2048,t=1,p=4$YW5vdGhlcnNhbHQxMjM$5T0vUFbbAZU+jMtZfhptMg1u7wY6oNaaSusF/Loq1cg'],
];

const BCRYPT_POLICY: PasswordPolicy = { passwordHasher: 'bcrypt_sha256', bcryptRounds: 4, pbkdf2Iterations: 1000 };
const PBKDF2_POLICY: PasswordPolicy = { passwordHasher: 'pbkdf2_sha256', bcryptRounds: 4, pbkdf2Iterations: 1000 };

afterEach(() => vi.restoreAllMocks());

describe("Django's password formats", () => {
  for (const [algorithm, encoded] of VECTORS) {
    it(`verifies ${encoded.slice(0, 40)}... (${algorithm}) with the right password only`, async () => {
      expect(algorithmOf(encoded)).toBe(algorithm);
      expect(await verifyPassword(PASSWORD, encoded, BCRYPT_POLICY)).toBe(true);
      for (const wrong of ['letmein', 'lètmeiN', 'lètmein ', ' lètmein', 'lètmei', 'x']) {
        expect(await verifyPassword(wrong, encoded, BCRYPT_POLICY)).toBe(false);
      }
    });

    it(`refuses ${algorithm} values with a changed hash, salt or parameter`, async () => {
      const parts = encoded.split('$');
      const last = parts.length - 1;
      const flipped = [...parts];
      // The last character of the hash carries data in every format: swap it for another valid one.
      flipped[last] = flipped[last].slice(0, -3) + (flipped[last].slice(-3, -2) === 'A' ? 'B' : 'A') + flipped[last].slice(-2);
      expect(await verifyPassword(PASSWORD, flipped.join('$'), BCRYPT_POLICY)).toBe(false);
      if (algorithm.startsWith('pbkdf2')) {
        expect(await verifyPassword(PASSWORD, encoded.replace('260000', '260001'), BCRYPT_POLICY)).toBe(false);
        expect(await verifyPassword(PASSWORD, encoded.replace('$seasalt', '$seasalT'), BCRYPT_POLICY)).toBe(false);
      }
      if (algorithm === 'scrypt') {
        expect(await verifyPassword(PASSWORD, encoded.replace('salt$', 'Salt$'), BCRYPT_POLICY)).toBe(false);
      }
    });
  }

  it("keeps verifying the bare $2b$ hashes this server stored before it wrote Django's formats", async () => {
    const legacy = await bcrypt.hash('correct horse', 4);
    expect(algorithmOf(legacy)).toBe('');
    expect(await verifyPassword('correct horse', legacy, BCRYPT_POLICY)).toBe(true);
    expect(await verifyPassword('correct horsE', legacy, BCRYPT_POLICY)).toBe(false);
  });

  it('counts every byte of a bcrypt_sha256 password (Django made this one from 100 x)', async () => {
    const encoded = 'bcrypt_sha256$$2b$04$Z9VGqopAMDaWCm3uKTmFmepps2SYkmtd8YgqA1BP4sfFCfdB8cKuu';
    expect(await verifyPassword('x'.repeat(100), encoded, BCRYPT_POLICY)).toBe(true);
    expect(await verifyPassword('x'.repeat(72), encoded, BCRYPT_POLICY)).toBe(false);
    expect(await verifyPassword('x'.repeat(99), encoded, BCRYPT_POLICY)).toBe(false);
  });

  it('hashes with the SHA-256 hex digest for bcrypt_sha256 and the password itself for bcrypt', async () => {
    const compare = vi.spyOn(bcrypt, 'compare');
    await verifyPassword(PASSWORD, VECTORS[2][1], BCRYPT_POLICY);
    await verifyPassword(PASSWORD, VECTORS[3][1], BCRYPT_POLICY);
    expect(compare.mock.calls.map((call) => call[0])).toEqual([crypto.createHash('sha256').update(PASSWORD).digest('hex'), PASSWORD]);
  });
});

describe('unusable stored values', () => {
  const unusable: [string, string | null][] = [
    ["Django's unusable password (set_unusable_password)", `!${'a'.repeat(40)}`],
    ['a ! before a real hash', `!${VECTORS[0][1]}`],
    ['an empty value', ''],
    ['no value', null],
    ['salted md5 (not verified here)', 'md5$seasalt$f5531bef9f3687d0ccf0f617f0e25573'],
    ['unsalted md5', '88a434c88cca4e900f7874cd98123f43'],
    ['sha1', 'sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc8'],
    ['crypt', 'crypt$$ab1Hv2Lg7ltQo'],
    ['an unknown algorithm', 'whirlpool$1000$salt$abc'],
    ['pbkdf2 with letters for iterations', 'pbkdf2_sha256$lots$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo='],
    ['pbkdf2 with zero iterations', 'pbkdf2_sha256$0$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo='],
    ['pbkdf2 with a part missing', 'pbkdf2_sha256$260000$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo='],
    ['bcrypt_sha256 around no bcrypt hash', 'bcrypt_sha256$$2b$04$short'],
    ['a $2y$ hash (PHP), which the bcrypt package cannot check', '$2y$04$VB0y5N90ZYPYgFG7EyRl0eKtfVcW3.9Y/IZA7LJ0P4aXE6bD27z3G'],
    ['bcrypt_sha256 with one $ only', 'bcrypt_sha256$2b$04$VB0y5N90ZYPYgFG7EyRl0eKtfVcW3.9Y/IZA7LJ0P4aXE6bD27z3G'],
    ['scrypt with N not a power of two', 'scrypt$1000$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw=='],
    ['scrypt asking for 2 GiB', 'scrypt$16777216$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw=='],
    ['argon2 without its PHC string', 'argon2$c2Vhc2FsdHNlYXNhbHQ$d2r7/NeRsaYBQRJ4+gyn+Q'],
  ];
  for (const [name, encoded] of unusable) {
    it(`never verifies ${name}, after a dummy check's bcrypt work`, async () => {
      expect(algorithmOf(encoded)).toBeUndefined();
      const compare = vi.spyOn(bcrypt, 'compare');
      expect(await verifyPassword(PASSWORD, encoded, BCRYPT_POLICY)).toBe(false);
      expect(await checkPassword(PASSWORD, encoded, BCRYPT_POLICY)).toEqual({ valid: false, rehash: false });
      expect(compare).toHaveBeenCalledTimes(2);
      expect(bcrypt.getRounds(compare.mock.calls[0][1] as string)).toBe(BCRYPT_POLICY.bcryptRounds);
    });
  }

  it('refuses argon2 parameters the library will not run (a value that cannot verify)', async () => {
    expect(await verifyPassword(PASSWORD, 'argon2$argon2id$v=19$m=1,t=1,p=1$c2Vhc2FsdHNlYXNhbHQ$d2r7/NeRsaYBQRJ4+gyn+Q', BCRYPT_POLICY)).toBe(false);
  });
});

describe('the dummy check', () => {
  it('runs PBKDF2 at the configured iterations when PASSWORD_HASHER is pbkdf2_sha256, and no bcrypt', async () => {
    const pbkdf2 = vi.spyOn(crypto, 'pbkdf2');
    const compare = vi.spyOn(bcrypt, 'compare');
    expect(await dummyCheck('guess', { ...PBKDF2_POLICY, pbkdf2Iterations: 1234 })).toBe(false);
    expect(compare).not.toHaveBeenCalled();
    expect(pbkdf2).toHaveBeenCalledTimes(1);
    expect(pbkdf2.mock.calls[0].slice(2, 5)).toEqual([1234, 32, 'sha256']);
  });

  it('runs one bcrypt comparison at BCRYPT_ROUNDS for bcrypt_sha256', async () => {
    const compare = vi.spyOn(bcrypt, 'compare');
    expect(await dummyCheck('guess', { ...BCRYPT_POLICY, bcryptRounds: 5 })).toBe(false);
    expect(compare).toHaveBeenCalledTimes(1);
    expect(bcrypt.getRounds(compare.mock.calls[0][1] as string)).toBe(5);
  });
});

describe('a wrong password against weaker parameters of the configured format', () => {
  it('is followed by the missing PBKDF2 iterations (Django\'s harden_runtime)', async () => {
    const stored = await encodePassword('correct horse', PBKDF2_POLICY);
    const pbkdf2 = vi.spyOn(crypto, 'pbkdf2');
    expect(await verifyPassword('wrong horse', stored, { ...PBKDF2_POLICY, pbkdf2Iterations: 4000 })).toBe(false);
    expect(pbkdf2.mock.calls.map((call) => call[2])).toEqual([1000, 3000]);
    pbkdf2.mockClear();
    expect(await verifyPassword('correct horse', stored, { ...PBKDF2_POLICY, pbkdf2Iterations: 4000 })).toBe(true);
    expect(await verifyPassword('wrong horse', stored, PBKDF2_POLICY)).toBe(false);
    expect(pbkdf2.mock.calls.map((call) => call[2])).toEqual([1000, 1000]);
  });

  it('is followed by 2^(difference) - 1 more bcrypt comparisons at the stored cost', async () => {
    const stored = await encodePassword('correct horse', BCRYPT_POLICY);
    const compare = vi.spyOn(bcrypt, 'compare');
    expect(await verifyPassword('wrong horse', stored, { ...BCRYPT_POLICY, bcryptRounds: 6 })).toBe(false);
    expect(compare).toHaveBeenCalledTimes(4);
    compare.mockClear();
    expect(await verifyPassword('correct horse', stored, { ...BCRYPT_POLICY, bcryptRounds: 6 })).toBe(true);
    expect(compare).toHaveBeenCalledTimes(1);
  });

  it('is not hardened for another format (which a successful login re-hashes)', async () => {
    const compare = vi.spyOn(bcrypt, 'compare');
    expect(await verifyPassword('wrong', VECTORS[3][1], { ...BCRYPT_POLICY, bcryptRounds: 6 })).toBe(false);
    expect(compare).toHaveBeenCalledTimes(1);
  });
});

describe('new passwords', () => {
  it("are stored as Django's BCryptSHA256PasswordHasher writes them, at BCRYPT_ROUNDS", async () => {
    const encoded = await encodePassword('correct horse', { ...BCRYPT_POLICY, bcryptRounds: 5 });
    expect(encoded).toMatch(/^bcrypt_sha256\$\$2b\$05\$[./A-Za-z0-9]{53}$/);
    expect(await verifyPassword('correct horse', encoded, BCRYPT_POLICY)).toBe(true);
    expect(await bcrypt.compare(crypto.createHash('sha256').update('correct horse').digest('hex'), encoded.slice(14))).toBe(true);
  });

  it("are stored as Django's PBKDF2PasswordHasher writes them, with a 22-character salt", async () => {
    const encoded = await encodePassword('correct horse', PBKDF2_POLICY);
    expect(encoded).toMatch(/^pbkdf2_sha256\$1000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
    const [, , salt, hash] = encoded.split('$');
    expect(crypto.pbkdf2Sync('correct horse', salt, 1000, 32, 'sha256').toString('base64')).toBe(hash);
    expect(await verifyPassword('correct horse', encoded, BCRYPT_POLICY)).toBe(true);
    expect(await verifyPassword('correct horsE', encoded, BCRYPT_POLICY)).toBe(false);
  });

  it('get a fresh salt every time', async () => {
    const hashes = await Promise.all([1, 2, 3].map(() => encodePassword('same', PBKDF2_POLICY)));
    expect(new Set(hashes).size).toBe(3);
    const bcrypts = await Promise.all([1, 2].map(() => hashPassword('same', bcryptSha256Policy(4))));
    expect(new Set(bcrypts).size).toBe(2);
  });

  it('take a bare number as a bcrypt cost for the default format', async () => {
    expect(await hashPassword('correct horse', bcryptSha256Policy(4))).toMatch(/^bcrypt_sha256\$\$2b\$04\$/);
  });
});

describe('mustUpdate (re-hash after a successful login)', () => {
  const bcrypt12: PasswordPolicy = { ...BCRYPT_POLICY, bcryptRounds: 12 };
  const pbkdf2: PasswordPolicy = { ...PBKDF2_POLICY, pbkdf2Iterations: 260000 };
  const cases: [string, string, PasswordPolicy, boolean][] = [
    ['bcrypt_sha256 at the configured cost', 'bcrypt_sha256$$2b$12$VB0y5N90ZYPYgFG7EyRl0eKtfVcW3.9Y/IZA7LJ0P4aXE6bD27z3G', bcrypt12, false],
    ['bcrypt_sha256 at a higher cost', 'bcrypt_sha256$$2b$13$VB0y5N90ZYPYgFG7EyRl0eKtfVcW3.9Y/IZA7LJ0P4aXE6bD27z3G', bcrypt12, false],
    ['bcrypt_sha256 at a lower cost', VECTORS[2][1], bcrypt12, true],
    ['plain bcrypt (truncates at 72 bytes)', VECTORS[3][1], bcrypt12, true],
    ['a bare $2b$ hash at the configured cost', '$2b$12$VB0y5N90ZYPYgFG7EyRl0eKtfVcW3.9Y/IZA7LJ0P4aXE6bD27z3G', bcrypt12, true],
    ['pbkdf2_sha256 when bcrypt_sha256 is configured', VECTORS[0][1], bcrypt12, true],
    ['argon2 when bcrypt_sha256 is configured', VECTORS[6][1], bcrypt12, true],
    ['scrypt when pbkdf2_sha256 is configured', VECTORS[4][1], pbkdf2, true],
    ['pbkdf2_sha256 at the configured iterations', VECTORS[0][1].replace('seasalt', 'a'.repeat(22)), pbkdf2, false],
    ['pbkdf2_sha256 at more iterations', VECTORS[0][1].replace('260000$seasalt', `300000$${'a'.repeat(22)}`), pbkdf2, false],
    ['pbkdf2_sha256 at fewer iterations', VECTORS[0][1].replace('260000$seasalt', `100000$${'a'.repeat(22)}`), pbkdf2, true],
    ["pbkdf2_sha256 with a salt short of Django's 128 bits", VECTORS[0][1], pbkdf2, true],
    ['pbkdf2_sha1', VECTORS[1][1], pbkdf2, true],
    ['bcrypt_sha256 when pbkdf2_sha256 is configured', VECTORS[2][1], pbkdf2, true],
  ];
  for (const [name, encoded, policy, expected] of cases) {
    it(`${expected ? 're-hashes' : 'keeps'} ${name}`, () => {
      expect(mustUpdate(encoded, policy)).toBe(expected);
    });
  }

  it('asks for a re-hash only when the password was right', async () => {
    expect(await checkPassword(PASSWORD, VECTORS[3][1], BCRYPT_POLICY)).toEqual({ valid: true, rehash: true });
    expect(await checkPassword('wrong', VECTORS[3][1], BCRYPT_POLICY)).toEqual({ valid: false, rehash: false });
    expect(await checkPassword(PASSWORD, VECTORS[2][1], BCRYPT_POLICY)).toEqual({ valid: true, rehash: false });
  });
});
