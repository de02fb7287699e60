import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries, makeUser, startTestServer, tokenOf, type TestServer } from './utils';

// The SQL each hot request may cost, counted over real HTTP (DRF's assertNumQueries). The benchmark's
// budgets assume these counts; the raw floor in bench/floor.ts sends the same statements.
describe('the SQL budget of a request', () => {
  let server: TestServer;
  let key: string;
  const PAGE = '{ products(limit: 50) { items { id name description price } total } }';

  beforeAll(async () => {
    server = await startTestServer();
    const user = await makeUser(server.orm, { username: 'counter' });
    key = (await tokenOf(server.orm, user.id))!;
    await server.orm.em.getConnection().execute(
      `insert into product (name, description, price) select 'Product ' || n, 'About product ' || n, n * 1.25
         from generate_series(1, 60) as n`,
    );
  });
  afterAll(() => server.close());

  it('authenticates a valid token with one query, and needs no other to answer me', async () => {
    const { result, queries } = await countQueries(server.orm, () => server.graphql('{ me { username } }', { token: key }));
    expect(result.body.data).toEqual({ me: { username: 'counter' } });
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatch(/join "auth_user"/);
  });

  it('answers a page of products with two queries beside the token lookup', async () => {
    const { result, queries } = await countQueries(server.orm, () => server.graphql(PAGE, { token: key }));
    expect(result.status).toBe(200);
    expect(result.body.data.products.items).toHaveLength(50);
    expect(queries).toHaveLength(3);
    expect(queries.filter((sql) => /from "product"/.test(sql))).toHaveLength(2);
  });

  it('costs one query for an unknown token of the right shape, and none for a malformed one', async () => {
    const unknown = await countQueries(server.orm, () => server.graphql(PAGE, { token: 'f'.repeat(40) }));
    expect(unknown.result.status).toBe(401);
    expect(unknown.queries).toHaveLength(1);
    const malformed = await countQueries(server.orm, () => server.graphql(PAGE, { token: 'nope' }));
    expect(malformed.result.status).toBe(401);
    expect(malformed.queries).toHaveLength(0);
  });

  it('pages newest first with exact prices and the total, whatever the offset', async () => {
    const page = await server.graphql('{ products(limit: 3, offset: 58) { items { name description price } total } }', { token: key });
    expect(page.body.data.products).toEqual({
      items: [
        { name: 'Product 2', description: 'About product 2', price: '2.50' },
        { name: 'Product 1', description: 'About product 1', price: '1.25' },
      ],
      total: 60,
    });
    const past = await server.graphql('{ products(limit: 5, offset: 100) { items { id } total } }', { token: key });
    expect(past.body.data.products).toEqual({ items: [], total: 60 });
  });

  it('serves each product id as a string and its dates as ISO timestamps', async () => {
    const page = await server.graphql('{ products(limit: 1) { items { id name created updated } } }', { token: key });
    const [item] = page.body.data.products.items;
    expect(item.name).toBe('Product 60');
    expect(item.id).toMatch(/^\d+$/);
    expect(new Date(item.created).toISOString()).toBe(item.created);
    expect(new Date(item.updated).toISOString()).toBe(item.updated);
  });
});
