import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startTestServer, tokenOf, type GraphQLResponse, type TestServer } from './utils';

const FIELDS = 'id name description price created updated';
const LIST = `query ($limit: Int, $offset: Int) { products(limit: $limit, offset: $offset) { total items { id name } } }`;
const GET = `query ($id: ID!) { product(id: $id) { ${FIELDS} } }`;
const CREATE = `mutation ($input: ProductInput!) { createProduct(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: ProductInput!) { updateProduct(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = 'mutation ($id: ID!) { deleteProduct(id: $id) }';

describe('products', () => {
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer();
    const user = await makeUser(server.orm);
    key = (await tokenOf(server.orm, user.id))!;
  });
  afterAll(() => server.close());

  const call = (query: string, variables?: Record<string, unknown>) => server.graphql(query, { token: key, variables });
  const sql = <T = any>(query: string, params: unknown[] = []) =>
    server.orm.em.getConnection().execute(query, params) as unknown as Promise<T>;
  const productCount = async () => (await sql<{ n: number }[]>('select count(*)::int as n from product'))[0].n;

  function expectBadInput(response: GraphQLResponse, field: string) {
    expect(response.status).toBe(200);
    // A nullable field (product) turns into null; a non-null one nulls the whole data.
    if (response.body.data !== null) expect(Object.values(response.body.data ?? { missing: 'data' })).toEqual([null]);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(response.body.errors![0].message.startsWith(`${field}: `)).toBe(true);
  }

  function expectNotFound(response: GraphQLResponse) {
    expect(response.status).toBe(200);
    expect(response.body.data).toBeNull();
    expect(response.body.errors).toMatchObject([{ message: 'No Product matches the given query.', extensions: { code: 'NOT_FOUND' } }]);
  }

  async function create(input: Record<string, unknown>) {
    const response = await call(CREATE, { input });
    expect(response.body.errors).toBeUndefined();
    return response.body.data.createProduct as Record<string, string>;
  }

  describe('listing', () => {
    beforeAll(async () => {
      // 25 products, numbered in the order they were made.
      for (let i = 1; i <= 25; i += 1) await sql('insert into product (name, price) values (?, ?)', [`item-${i}`, `${i}.00`]);
    });

    const names = (response: GraphQLResponse) => response.body.data.products.items.map((item: { name: string }) => item.name);
    const range = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => `item-${from - i}`);

    it('answers the first 20, newest first, with the total, by default', async () => {
      const response = await call(LIST);
      expect(response.status).toBe(200);
      expect(response.body.data.products.total).toBe(25);
      expect(names(response)).toEqual(range(25, 6));
    });

    it('pages with limit and offset', async () => {
      expect(names(await call(LIST, { limit: 5 }))).toEqual(range(25, 21));
      expect(names(await call(LIST, { limit: 5, offset: 5 }))).toEqual(range(20, 16));
      const last = await call(LIST, { limit: 10, offset: 20 });
      expect(names(last)).toEqual(range(5, 1));
      expect(last.body.data.products.total).toBe(25);
    });

    it('answers an empty page past the end, still with the total', async () => {
      expect((await call(LIST, { limit: 10, offset: 25 })).body.data.products).toEqual({ total: 25, items: [] });
      expect((await call(LIST, { offset: 1000 })).body.data.products).toEqual({ total: 25, items: [] });
    });

    it('accepts the bounds of limit: 1 and 100', async () => {
      expect(names(await call(LIST, { limit: 1 }))).toEqual(['item-25']);
      expect(names(await call(LIST, { limit: 100 }))).toHaveLength(25);
    });

    for (const [name, variables, field] of [
      ['limit 0', { limit: 0 }, 'limit'],
      ['limit 101', { limit: 101 }, 'limit'],
      ['a negative limit', { limit: -5 }, 'limit'],
      ['a negative offset', { offset: -1 }, 'offset'],
    ] as const) {
      it(`refuses ${name} with BAD_USER_INPUT naming ${field}`, async () => {
        expectBadInput(await call(LIST, variables), field);
      });
    }

    it('refuses a limit that is not an Int, before the resolver, with HTTP 400', async () => {
      for (const limit of ['ten', 2.5, 2 ** 31]) {
        const response = await call(LIST, { limit });
        expect(response.status).toBe(400);
        expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      }
      const literal = await call('{ products(limit: "ten") { total } }');
      expect(literal.status).toBe(400);
      expect(literal.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });

  describe('product(id)', () => {
    it('answers the product with every field', async () => {
      const made = await create({ name: 'Lamp', description: 'Bright.', price: '12.50' });
      const response = await call(GET, { id: made.id });
      expect(response.body.data.product).toEqual(made);
      expect(made).toMatchObject({ name: 'Lamp', description: 'Bright.', price: '12.50' });
    });

    it('answers null for an id with no product', async () => {
      const response = await call(GET, { id: '2147483647' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: { product: null } });
    });

    for (const id of ['abc', '-1', '0', '1.5', '', ' 1', '2147483648', '99999999999999999999', '1e3']) {
      it(`refuses the id ${JSON.stringify(id)} with BAD_USER_INPUT naming id`, async () => {
        expectBadInput(await call(GET, { id }), 'id');
      });
    }

    it('accepts an id given as a GraphQL integer literal', async () => {
      const made = await create({ name: 'Literal', price: '1' });
      const response = await call(`{ product(id: ${made.id}) { name } }`);
      expect(response.body.data.product).toEqual({ name: 'Literal' });
    });
  });

  describe('createProduct', () => {
    for (const price of ['19.99', '0', '10', '0.5', '9999999999.99', '0.01', '007.5', '00']) {
      it(`stores the price "${price}" exactly and answers it the same way it is read back`, async () => {
        const made = await create({ name: `priced ${price}`, price });
        const expected = toTwoPlaces(price);
        expect(made.price).toBe(expected);
        expect((await call(GET, { id: made.id })).body.data.product.price).toBe(expected);
        const [row] = await sql<{ price: string }[]>('select price::text as price from product where id = ?', [made.id]);
        expect(row.price).toBe(expected);
      });
    }

    it('defaults the description to empty and sets created and updated', async () => {
      const made = await create({ name: 'Plain', price: '1.00' });
      expect(made.description).toBe('');
      expect(Math.abs(Date.now() - Date.parse(made.created))).toBeLessThan(60_000);
      expect(made.updated).toBe(made.created);
    });

    it('trims the name', async () => {
      expect((await create({ name: '  Padded  ', price: '1' })).name).toBe('Padded');
    });

    it('accepts a 200-character name and a 10000-character description', async () => {
      const made = await create({ name: 'n'.repeat(200), description: 'd'.repeat(10_000), price: '1' });
      expect(made.name).toHaveLength(200);
      expect(made.description).toHaveLength(10_000);
    });

    const badPrices = ['abc', '-1', '-0.01', '1.999', '12345678901', '', ' ', '1e5', '1,5', '.5', '5.', '+5', '0x10', 'NaN', 'Infinity'];
    for (const price of badPrices) {
      it(`refuses the price ${JSON.stringify(price)} as a variable, naming price, writing nothing`, async () => {
        const before = await productCount();
        expectBadInput(await call(CREATE, { input: { name: 'bad price', price } }), 'price');
        expect(await productCount()).toBe(before);
      });
    }

    for (const literal of ['"abc"', '"-1"', '"1.999"', '"12345678901"', '""', '"1e5"', '" "', '-1', '1.999', '1e5', 'true', 'ABC']) {
      it(`refuses the price literal ${literal}, naming price`, async () => {
        const before = await productCount();
        const response = await call(`mutation { createProduct(input: { name: "bad", price: ${literal} }) { id } }`);
        expectBadInput(response, 'price');
        expect(await productCount()).toBe(before);
      });
    }

    it('refuses a price given as a JSON number that is not exact, naming price', async () => {
      for (const price of [1e21, 0.1 + 0.2, -1]) {
        expectBadInput(await call(CREATE, { input: { name: 'float', price } }), 'price');
      }
    });

    for (const [name, input, field] of [
      ['a blank name', { name: '', price: '1' }, 'name'],
      ['a whitespace-only name', { name: '   ', price: '1' }, 'name'],
      ['a 201-character name', { name: 'n'.repeat(201), price: '1' }, 'name'],
      ['a 10001-character description', { name: 'long', description: 'd'.repeat(10_001), price: '1' }, 'description'],
    ] as const) {
      it(`refuses ${name} with BAD_USER_INPUT naming ${field}, writing nothing`, async () => {
        const before = await productCount();
        expectBadInput(await call(CREATE, { input }), field);
        expect(await productCount()).toBe(before);
      });
    }

    it('refuses a missing name or price before the resolver, with HTTP 400', async () => {
      const before = await productCount();
      for (const input of [{ price: '1' }, { name: 'no price' }, { name: 'null price', price: null }]) {
        const response = await call(CREATE, { input });
        expect(response.status).toBe(400);
        expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      }
      expect(await productCount()).toBe(before);
    });
  });

  describe('updateProduct', () => {
    it('replaces every field, description included, and bumps updated but not created', async () => {
      const made = await create({ name: 'Old name', description: 'Old description', price: '5.00' });
      // Set the clock back in the table, so the bump shows whatever the timer resolution.
      await sql("update product set created = '2001-01-01', updated = '2001-01-01' where id = ?", [made.id]);

      const response = await call(UPDATE, { id: made.id, input: { name: 'New name', price: '6.5' } });
      expect(response.body.errors).toBeUndefined();
      const updated = response.body.data.updateProduct;
      expect(updated).toMatchObject({ id: made.id, name: 'New name', description: '', price: '6.50' });
      expect(updated.created).toBe('2001-01-01T00:00:00.000Z');
      expect(Math.abs(Date.now() - Date.parse(updated.updated))).toBeLessThan(60_000);
      expect((await call(GET, { id: made.id })).body.data.product).toEqual(updated);
    });

    it('answers NOT_FOUND for an id with no product', async () => {
      expectNotFound(await call(UPDATE, { id: '2147483647', input: { name: 'ghost', price: '1' } }));
    });

    for (const id of ['abc', '-1', '0', '99999999999']) {
      it(`refuses the id ${JSON.stringify(id)} with BAD_USER_INPUT naming id`, async () => {
        expectBadInput(await call(UPDATE, { id, input: { name: 'x', price: '1' } }), 'id');
      });
    }

    for (const [name, input, field] of [
      ['a bad price', { name: 'ok', price: '1.999' }, 'price'],
      ['a negative price', { name: 'ok', price: '-3' }, 'price'],
      ['a blank name', { name: ' ', price: '1' }, 'name'],
      ['a 201-character name', { name: 'n'.repeat(201), price: '1' }, 'name'],
      ['a 10001-character description', { name: 'ok', description: 'd'.repeat(10_001), price: '1' }, 'description'],
    ] as const) {
      it(`refuses ${name} naming ${field} and leaves the product as it was`, async () => {
        const made = await create({ name: 'Untouched', description: 'Same', price: '7.00' });
        expectBadInput(await call(UPDATE, { id: made.id, input }), field);
        expect((await call(GET, { id: made.id })).body.data.product).toEqual(made);
      });
    }
  });

  describe('deleteProduct', () => {
    it('deletes the product and answers true; a second delete answers NOT_FOUND', async () => {
      const made = await create({ name: 'Doomed', price: '1' });
      const before = await productCount();
      expect((await call(DELETE, { id: made.id })).body).toEqual({ data: { deleteProduct: true } });
      expect(await productCount()).toBe(before - 1);
      expect((await call(GET, { id: made.id })).body.data.product).toBeNull();
      expectNotFound(await call(DELETE, { id: made.id }));
    });

    it('answers NOT_FOUND for an id with no product, deleting nothing', async () => {
      const before = await productCount();
      expectNotFound(await call(DELETE, { id: '2147483647' }));
      expect(await productCount()).toBe(before);
    });

    for (const id of ['abc', '-1', '0', '99999999999']) {
      it(`refuses the id ${JSON.stringify(id)} with BAD_USER_INPUT naming id`, async () => {
        expectBadInput(await call(DELETE, { id }), 'id');
      });
    }
  });

  describe('anonymous callers', () => {
    const operations: [string, string, Record<string, unknown>][] = [
      ['products', LIST, {}],
      ['product', GET, { id: '1' }],
      ['createProduct', CREATE, { input: { name: 'sneaky', price: '1' } }],
      ['updateProduct', UPDATE, { id: '1', input: { name: 'sneaky', price: '1' } }],
      ['deleteProduct', DELETE, { id: '1' }],
    ];
    for (const [name, query, variables] of operations) {
      it(`get 401 with WWW-Authenticate from ${name}, and nothing changes`, async () => {
        const [before] = await sql("select count(*)::int as n, count(*) filter (where name = 'sneaky')::int as sneaky from product");
        const response = await server.graphql(query, { variables });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Token');
        expect(response.body.errors).toMatchObject([
          { message: 'Authentication credentials were not provided.', path: [name], extensions: { code: 'UNAUTHENTICATED' } },
        ]);
        const [after] = await sql("select count(*)::int as n, count(*) filter (where name = 'sneaky')::int as sneaky from product");
        expect(after).toEqual(before);
      });
    }
  });
});

/** "10" -> "10.00", "007.5" -> "7.50": how PostgreSQL writes a numeric(12,2), worked out independently. */
function toTwoPlaces(price: string): string {
  const cents = BigInt(price.replace('.', '').padEnd(price.includes('.') ? price.indexOf('.') + 2 : price.length + 2, '0'));
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}
