// Trusted documents (TRUSTED_DOCUMENTS): the manifest the web build wrote (dist/web/trusted-documents.json),
// requests by documentId and by Apollo's persisted query hash, Apollo Router's answers under enforce, the
// exemptions, log mode's counting, and the same over WebSocket. Real server, real HTTP and WebSocket.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries, createTestDatabase, makeUser, startTestServer, tokenOf, type TestServer } from './utils';
import { openSocket, runOnce } from './ws-client';
import { startServerProcess, type ServerProcess } from './server-process';
import type { User } from '../src/users/user.entity';
import { createAccessToken, createLoginToken } from '../src/authtoken/token-store';
import { loadManifest, Manifest, TrustedDocumentsError } from '../src/trusted-documents/manifest';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'dist', 'web', 'trusted-documents.json'), 'utf8')) as Record<string, string>;

/** The manifest's id of the web app's operation named `name`. */
function idOf(name: string): string {
  const found = Object.entries(manifest).find(([, text]) => new RegExp(`^(query|mutation|subscription) ${name}\\b`).test(text));
  if (!found) throw new Error(`no ${name} in the manifest`);
  return found[0];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const UNKNOWN = `sha256:${'0'.repeat(64)}`;
const FREE_ME = '{ me { username } }';
const SAFELIST = { errors: [{ message: 'The operation body was not found in the persisted query safelist', extensions: { code: 'QUERY_NOT_IN_SAFELIST' } }] };
const notInList = (id: string) => ({ errors: [{ message: `Persisted query '${id}' not found in the persisted query list`, extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } }] });

async function send(server: TestServer, body: Record<string, unknown>, token?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Token ${token}`;
  const response = await fetch(`${server.baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

async function userCount(server: TestServer, username: string): Promise<number> {
  const [row] = await server.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from auth_user where username = ?', [username]);
  return row.n;
}

describe('the manifest', () => {
  it('holds every web app operation and the playground examples, each under the sha256 of its text', () => {
    for (const [id, text] of Object.entries(manifest)) expect(id).toBe(`sha256:${sha256(text)}`);
    for (const name of ['Me', 'Products', 'ProductChanged', 'Login', 'Logout', 'CreateProduct', 'AdminUsers']) expect(idOf(name)).toMatch(/^sha256:/);
    const examples = fs.readdirSync(path.resolve(__dirname, '..', 'web', 'src', 'playground', 'examples'));
    expect(examples).toHaveLength(5);
    for (const file of examples) {
      const text = fs.readFileSync(path.resolve(__dirname, '..', 'web', 'src', 'playground', 'examples', file), 'utf8');
      expect(manifest[`sha256:${sha256(text)}`]).toBe(text);
    }
  });
});

describe('loading the manifest', () => {
  it('stops the start under log or enforce when the manifest is missing, and is empty when off', () => {
    const missing = path.join(__dirname, 'no-such-manifest.json');
    for (const mode of ['log', 'enforce'] as const) {
      expect(() => loadManifest(mode, missing)).toThrow(new TrustedDocumentsError(`TRUSTED_DOCUMENTS=${mode} needs the manifest ${missing}, which the web build writes: run npm run build.`));
    }
    expect(loadManifest('off', missing).size).toBe(0);
  });

  it('refuses an entry whose id is not the sha256 of its document', () => {
    const text = '{ me { username } }';
    expect(new Manifest({ [`sha256:${sha256(text)}`]: text }).size).toBe(1);
    expect(() => new Manifest({ [`sha256:${sha256('other')}`]: text })).toThrow(TrustedDocumentsError);
    expect(() => new Manifest({ [sha256(text)]: text })).toThrow(TrustedDocumentsError);
    expect(() => new Manifest({ [`sha256:${sha256(text)}`]: 42 as unknown as string })).toThrow(TrustedDocumentsError);
  });
});

describe('TRUSTED_DOCUMENTS=enforce', () => {
  let server: TestServer;
  let user: User;
  let key: string;
  let staffKey: string;

  beforeAll(async () => {
    server = await startTestServer({ TRUSTED_DOCUMENTS: 'enforce' });
    user = await makeUser(server.orm);
    key = (await tokenOf(server.orm, user.id))!;
    const staff = await makeUser(server.orm, { isStaff: true });
    staffKey = (await tokenOf(server.orm, staff.id))!;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('runs a documentId from the manifest, with the one query a header costs', async () => {
    await send(server, { documentId: idOf('Me') }, key);
    const { result, queries } = await countQueries(server.orm, () => send(server, { documentId: idOf('Me'), operationName: 'Me' }, key));
    expect(result.status).toBe(200);
    expect(result.body.data.me.username).toBe(user.username);
    expect(queries).toHaveLength(1);
  });

  it("answers an unknown id with 404 and Apollo Router's words", async () => {
    const unknown = await send(server, { documentId: UNKNOWN }, key);
    expect(unknown).toEqual({ status: 404, body: notInList(UNKNOWN) });
    expect(await send(server, { documentId: 'nonsense' })).toEqual({ status: 404, body: notInList('nonsense') });
    const apq = await send(server, { extensions: { persistedQuery: { version: 1, sha256Hash: '1'.repeat(64) } } });
    expect(apq).toEqual({ status: 404, body: notInList('1'.repeat(64)) });
  });

  it('refuses a documentId that is not a string, or sent with a query', async () => {
    const number = await send(server, { documentId: 42 });
    expect(number.status).toBe(400);
    expect(number.body.errors[0]).toEqual({ message: 'documentId must be a string such as "sha256:<hex>".', extensions: { code: 'BAD_REQUEST' } });
    const both = await send(server, { documentId: idOf('Me'), query: FREE_ME }, key);
    expect(both.status).toBe(400);
    expect(both.body.errors[0].message).toBe('Send either query or documentId, not both.');
  });

  it('runs an Apollo persisted query hash from the manifest', async () => {
    const hash = idOf('Me').slice('sha256:'.length);
    const answer = await send(server, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, key);
    expect(answer.body.data.me.username).toBe(user.username);
  });

  it('refuses free text outside the manifest with 400, running nothing, for anonymous callers and tokens alike', async () => {
    expect(await send(server, { query: FREE_ME }, key)).toEqual({ status: 400, body: SAFELIST });
    const register = await send(server, { query: 'mutation { register(input: {username: "freetext", email: "f@example.com", password: "correct horse"}) { id } }' });
    expect(register).toEqual({ status: 400, body: SAFELIST });
    expect(await userCount(server, 'freetext')).toBe(0);
  });

  it('lets automatic persisted queries register nothing new', async () => {
    const hash = sha256(FREE_ME);
    const registration = await send(server, { query: FREE_ME, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, key);
    expect(registration).toEqual({ status: 400, body: SAFELIST });
    expect(await send(server, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, key)).toEqual({ status: 404, body: notInList(hash) });
  });

  it("trusts the manifest's documents sent as text, however they are spaced or commented", async () => {
    const text = manifest[idOf('Me')];
    const respaced = `# the app's own query\n${text.replace(/ \{ /g, ' {\n  ').replace(/ /g, '  ')}`;
    const answer = await send(server, { query: respaced }, key);
    expect(answer.status).toBe(200);
    expect(answer.body.data.me.username).toBe(user.username);
    // A change to what it asks is another document.
    expect((await send(server, { query: text.replace('email ', '') }, key)).status).toBe(400);
  });

  it('exempts staff tokens and introspection-only documents (introspection is on)', async () => {
    expect((await send(server, { query: FREE_ME }, staffKey)).body.data.me).toBeTruthy();
    expect((await send(server, { query: '{ __schema { queryType { name } } }' })).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    expect((await send(server, { query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
    // Introspection beside a real field is not introspection-only.
    expect((await send(server, { query: '{ __typename me { username } }' }, key)).status).toBe(400);
  });

  it("exempts an access token's free text (its scopes bound it), a login token's still refused; the scope rule still runs first", async () => {
    const prefix = server.settings.loginTokens.prefix;
    const spec = { name: 'ci', scopes: ['profile:read'], expiresInDays: 30, allowedCidrs: [], rate: null };
    const access = await createAccessToken(server.orm.em.fork(), user.id, spec, prefix);
    const login = await createLoginToken(server.orm.em.fork(), user.id, 'laptop', server.settings.loginTokens);
    expect(await send(server, { query: FREE_ME }, access.token)).toEqual({ status: 200, body: { data: { me: { username: user.username } } } });
    expect(await send(server, { query: FREE_ME }, login.token)).toEqual({ status: 400, body: SAFELIST });
    // Outside its scopes the exemption gives nothing: the 403 of the scope rule, which runs first.
    const products = await send(server, { query: '{ products { total } }' }, access.token);
    expect(products.status).toBe(403);
    expect(products.body.errors[0].extensions).toMatchObject({ reason: 'INSUFFICIENT_SCOPE', requiredScopes: ['products:read'] });
    // And it is one query still, as any valid token's read.
    const { result, queries } = await countQueries(server.orm, () => send(server, { query: FREE_ME }, access.token));
    expect(result.status).toBe(200);
    expect(queries).toHaveLength(1);
    // Over a socket too.
    const socket = openSocket(server.wsUrl, { Authorization: `Token ${access.token}` });
    try {
      await socket.connected;
      expect(await runOnce(socket.client, FREE_ME)).toEqual({ data: { me: { username: user.username } } });
    } finally {
      await socket.dispose();
    }
  });

  it('runs a GET by documentId', async () => {
    const url = `${server.baseUrl}/graphql?documentId=${encodeURIComponent(idOf('Me'))}`;
    const response = await fetch(url, { headers: { authorization: `Token ${key}`, 'apollo-require-preflight': 'true', accept: 'application/json' } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).data.me.username).toBe(user.username);
    const unknown = await fetch(`${server.baseUrl}/graphql?documentId=${UNKNOWN}`, { headers: { 'apollo-require-preflight': 'true', accept: 'application/json' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual(notInList(UNKNOWN));
  });

  describe('over WebSocket', () => {
    it('runs a documentId (with the empty query graphql-ws requires), refuses free text and keeps the socket open', async () => {
      const socket = openSocket(server.wsUrl, { Authorization: `Token ${key}` });
      await socket.connected;
      const byId = await runOnce(socket.client, '', undefined, { documentId: idOf('Me') });
      expect(byId.data).toMatchObject({ me: { username: user.username } });
      await expect(runOnce(socket.client, FREE_ME)).rejects.toEqual([expect.objectContaining({ message: SAFELIST.errors[0].message, extensions: { code: 'QUERY_NOT_IN_SAFELIST' } })]);
      await expect(runOnce(socket.client, '', undefined, { documentId: UNKNOWN })).rejects.toEqual([
        expect.objectContaining({ message: notInList(UNKNOWN).errors[0].message, extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } }),
      ]);
      // Still open.
      expect((await runOnce(socket.client, '', undefined, { documentId: idOf('Me') })).data).toBeTruthy();
      await socket.dispose();
    });

    it("exempts a staff socket's free text", async () => {
      const socket = openSocket(server.wsUrl, { Authorization: `Token ${staffKey}` });
      await socket.connected;
      expect((await runOnce(socket.client, FREE_ME)).data).toBeTruthy();
      await socket.dispose();
    });
  });
});

describe('TRUSTED_DOCUMENTS=off (the default)', () => {
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer();
    key = (await tokenOf(server.orm, (await makeUser(server.orm)).id))!;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('runs free text and ids alike; an unknown documentId is still 404, an unknown Apollo hash is left to Apollo', async () => {
    expect((await send(server, { query: FREE_ME }, key)).body.data.me).toBeTruthy();
    expect((await send(server, { documentId: idOf('Me') }, key)).body.data.me).toBeTruthy();
    expect(await send(server, { documentId: UNKNOWN })).toEqual({ status: 404, body: notInList(UNKNOWN) });
    const apq = await send(server, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(FREE_ME) } } }, key);
    expect(apq.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('TRUSTED_DOCUMENTS=log', () => {
  let process_: ServerProcess;
  let url: string;

  beforeAll(async () => {
    // With cookie sessions on plain HTTP too, whose start-up line this process also shows.
    process_ = startServerProcess({ DATABASE_URL: await createTestDatabase(), TRUSTED_DOCUMENTS: 'log', METRICS: 'true', PASSWORD_RATE: '0', AUTH_COOKIE: 'true', AUTH_COOKIE_SECURE: 'false' });
    url = await process_.ready;
  }, 60_000);

  afterAll(async () => {
    await process_?.kill('SIGKILL');
  });

  const post = async (body: Record<string, unknown>) =>
    (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();

  it('says at start how many documents it trusts, runs untrusted ones, counts each and logs each distinct one once', async () => {
    expect(process_.log()).toContain(`Trusted documents (TRUSTED_DOCUMENTS=log): ${Object.keys(manifest).length} documents in the manifest`);
    expect(process_.log()).toContain('AUTH_COOKIE_SECURE=false: the session cookie "authtoken" is sent without Secure and without the __Host- prefix, so it also travels over plain HTTP');
    for (let i = 0; i < 3; i += 1) expect(await post({ query: '{ products(limit: 1) { total } }' })).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(await post({ query: 'query Other { __typename products(limit: 2) { total } }' })).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    // Trusted and exempt documents are not counted.
    await post({ documentId: idOf('Me') });
    await post({ query: '{ __typename }' });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^authtoken_untrusted_documents_total 4$/m);
    const lines = process_.log().split('\n').filter((line) => line.includes('Untrusted document ran'));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('operation=Other');
  });
});
