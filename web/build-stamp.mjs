/**
 * What dist/web was built from: a hash of the web sources, their config and package-lock.json, stored in
 * dist/web/.build-stamp by build.mjs. The build skips work when it matches; the browser tests refuse to run
 * against a bundle that does not match the sources they test.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDir = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = path.dirname(webDir);
export const outDir = path.join(projectRoot, 'dist', 'web');
const stampFile = path.join(outDir, '.build-stamp');

function listFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

export function inputsHash() {
  const files = [...listFiles(webDir), path.join(projectRoot, 'package-lock.json')].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(projectRoot, file)).update('\0');
    hash.update(fs.existsSync(file) ? fs.readFileSync(file) : '').update('\0');
  }
  return hash.digest('hex');
}

/** True when dist/web holds a complete build of the current sources. */
export function isBuildCurrent(hash = inputsHash()) {
  const complete = ['index.html', 'playground.html', 'trusted-documents.json'].every((file) => fs.existsSync(path.join(outDir, file)));
  return complete && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === hash;
}

export function writeStamp(hash) {
  fs.writeFileSync(stampFile, hash);
}
