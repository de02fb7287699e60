/**
 * `npm run build:web`: type-checks the web app (tsc -p web/tsconfig.json) and builds it with Vite into
 * dist/web, unless nothing it is made from changed since the last build (see build-stamp.mjs). Every
 * `npm test` and `npm start` runs this, and the GraphiQL/Monaco bundle takes 15 to 40 seconds to build here:
 * the stamp makes repeated runs free. `--force` rebuilds regardless. The trusted-documents manifest is written
 * beside the bundle (web/trusted-documents.mjs).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { inputsHash, isBuildCurrent, outDir, projectRoot, webDir, writeStamp } from './build-stamp.mjs';
import { writeTrustedDocuments } from './trusted-documents.mjs';

const hash = inputsHash();
if (!process.argv.includes('--force') && isBuildCurrent(hash)) {
  console.log('Web app unchanged since the last build: dist/web is up to date.');
  process.exit(0);
}

const started = Date.now();
const tsc = path.join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
const check = spawnSync(process.execPath, [tsc, '-p', path.join(webDir, 'tsconfig.json'), '--noEmit'], { stdio: 'inherit' });
if (check.status !== 0) process.exit(check.status ?? 1);

const { build } = await import('vite');
await build({ configFile: path.join(webDir, 'vite.config.mts'), logLevel: 'warn' });
writeTrustedDocuments(outDir);
writeStamp(hash);
console.log(`Web app built into dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
