/**
 * The embedded cluster's credentials: this module is their one owner. The password is made once, at the
 * cluster's first start, and sits beside the cluster in `<dataDir>.password`, readable by this OS user only,
 * so other local users cannot log in; `embeddedPassword` reads it (the commands joining a running server
 * do), `embeddedUrl` writes the URL.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { POSTGRES_USER } from './os-user';

function passwordFile(dataDir: string): string {
  return `${dataDir}.password`;
}

/** The password of the embedded cluster in `dataDir` (throws when the file cannot be read). */
export function embeddedPassword(dataDir: string): string {
  return fs.readFileSync(passwordFile(dataDir), 'utf8').trim();
}

/** The postgres:// URL of an embedded server on `port`, naming `database`. */
export function embeddedUrl(port: number, password: string, database = 'postgres'): string {
  return `postgres://${POSTGRES_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** The cluster's password, made and written on first use. */
export function passwordFor(dataDir: string): string {
  if (fs.existsSync(passwordFile(dataDir))) return embeddedPassword(dataDir);
  const password = randomBytes(18).toString('base64url');
  fs.writeFileSync(passwordFile(dataDir), `${password}\n`, { mode: 0o600 });
  return password;
}
