/**
 * `npm run build:web`: type-checks the web app (tsc -p web/tsconfig.json) and builds it with Vite into
 * dist/web, unless nothing it is made from changed since the last build. Every `npm test` and `npm start`
 * runs this, and the GraphiQL/Monaco bundle takes a good fifteen seconds to build: the stamp makes repeated
 * runs free. `--force` rebuilds regardless.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.dirname(webDir);
const outDir = path.join(projectRoot, 'dist', 'web');
const stampFile = path.join(outDir, '.build-stamp');

function listFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

// Everything the bundle is made of: the web sources and config, and the installed dependency versions.
function inputsHash() {
  const files = [
    ...listFiles(webDir).filter((file) => !file.includes(`${path.sep}node_modules${path.sep}`)),
    path.join(projectRoot, 'package-lock.json'),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(projectRoot, file)).update('\0');
    hash.update(fs.existsSync(file) ? fs.readFileSync(file) : '').update('\0');
  }
  return hash.digest('hex');
}

const force = process.argv.includes('--force');
const hash = inputsHash();
const built = fs.existsSync(path.join(outDir, 'index.html')) && fs.existsSync(path.join(outDir, 'playground.html'));
if (!force && built && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === hash) {
  console.log('Web app unchanged since the last build: dist/web is up to date.');
  process.exit(0);
}

const started = Date.now();
const tsc = spawnSync(process.execPath, [path.join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(webDir, 'tsconfig.json'), '--noEmit'], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const { build } = await import('vite');
await build({ configFile: path.join(webDir, 'vite.config.mts'), logLevel: 'warn' });
fs.writeFileSync(stampFile, hash);
console.log(`Web app built into dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
