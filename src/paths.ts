/** Where the project's own files are, whether the code runs from `src` (vitest) or from `dist/src` (node). */
import path from 'node:path';

export const projectRoot = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
