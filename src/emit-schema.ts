/** Rewrites schema.graphql from the resolvers: `npm run schema`. */
import fs from 'node:fs';
import path from 'node:path';
import { printSchemaSDL } from './schema';
import { projectRoot } from './paths';

printSchemaSDL().then((sdl) => {
  const file = path.join(projectRoot, 'schema.graphql');
  fs.writeFileSync(file, sdl);
  console.log(`Wrote ${file}`);
});
