import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { printSchemaSDL } from '../src/schema';

describe('schema.graphql', () => {
  it('matches the schema the resolvers build (run `npm run schema` after changing them)', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await printSchemaSDL());
  });

  it('never exposes the password hash on User', async () => {
    const userType = /type User \{[^}]*\}/.exec(await printSchemaSDL())?.[0];
    expect(userType).toContain('username: String!');
    expect(userType).not.toContain('password');
  });
});
