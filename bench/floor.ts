/**
 * The raw floor: the cheapest honest server for the benchmark's requests. Apollo Server 5 over express 5,
 * a hand-written graphql-js schema, `pg` directly, no type-graphql and no ORM. It sends the same SQL as
 * the real server: the token joined to its user (one query), then the products page and its count.
 *
 * It runs Apollo with the server's plugin set (no landing page, no cache-control hints) in production mode.
 *
 * It is a yardstick, not a product: just enough of the API (products, a 401 for an unknown token) for the
 * bench's scenarios. Run by bench/run.ts as `node dist/bench/floor.js` with DATABASE_URL and PORT.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { GraphQLError } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { Pool } from 'pg';

interface Context {
  userId: number | null;
}

const typeDefs = `#graphql
  type Product { id: ID! name: String! description: String! price: String! }
  type ProductPage { items: [Product!]! total: Int! }
  type Query { products(limit: Int = 20, offset: Int = 0): ProductPage! }
`;

const TOKEN_SQL = `select u.*, t.key as token_key, t.created as token_created from authtoken_token t
  inner join auth_user u on u.id = t.user_id where t.key = $1 limit 1`;
const PAGE_SQL = 'select id, name, description, price, created, updated from product order by id desc limit $1 offset $2';
const COUNT_SQL = 'select count(*)::int as total from product';

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Token']]) } },
  });
}

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const resolvers = {
    Query: {
      async products(_: unknown, { limit, offset }: { limit: number; offset: number }, context: Context) {
        if (context.userId === null) throw unauthenticated('Authentication credentials were not provided.');
        const [items, count] = await Promise.all([
          pool.query(PAGE_SQL, [limit, offset]),
          pool.query(COUNT_SQL),
        ]);
        return { items: items.rows, total: count.rows[0].total };
      },
    },
  };
  const apollo = new ApolloServer<Context>({
    typeDefs,
    resolvers,
    // The same Apollo plugins as the server (src/app.ts), so the comparison is about everything else.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();

  const app = express();
  app.use(
    '/graphql',
    express.json({ limit: '100kb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const parts = (req.headers.authorization ?? '').trim().split(/\s+/);
        if (parts[0]?.toLowerCase() !== 'token') return { userId: null };
        if (parts.length !== 2) throw unauthenticated('Invalid token header.');
        const { rows } = await pool.query(TOKEN_SQL, [parts[1]]);
        if (!rows[0]) throw unauthenticated('Invalid token.');
        if (!rows[0].is_active) throw unauthenticated('User inactive or deleted.');
        return { userId: rows[0].id as number };
      },
    }),
  );

  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
  console.log(`Floor ready at http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);

  const stop = async () => {
    server.closeAllConnections();
    server.close();
    await apollo.stop();
    await pool.end();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error) => {
  console.error('The floor server could not start:', error);
  process.exit(1);
});
