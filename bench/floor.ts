/**
 * The raw floor: the cheapest honest server for the benchmark's requests. Apollo Server 5 over express 5,
 * a hand-written graphql-js schema, `pg` directly, no type-graphql and no ORM. It sends the same SQL as
 * the real server: the token joined to its user (one query), then the products page and its count.
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
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { Pool } from 'pg';

interface Context {
  userId: number | null;
}

const typeDefs = `#graphql
  type Product { id: ID! name: String! description: String! price: String! }
  type ProductPage { items: [Product!]! total: Int! }
  type Query { products(limit: Int = 20, offset: Int = 0): ProductPage! }
`;

const TOKEN_SQL = `select t.*, u.id as u_id, u.username, u.email, u.first_name, u.last_name, u.password, u.is_active,
  u.is_staff, u.is_superuser, u.date_joined, u.last_login
  from authtoken_token t inner join auth_user u on t.user_id = u.id where t.key = $1 limit 1`;

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
          pool.query('select p.* from product p order by p.id desc limit $1 offset $2', [limit, offset]),
          pool.query('select count(*) as count from product p'),
        ]);
        return { items: items.rows, total: Number(count.rows[0].count) };
      },
    },
  };
  const apollo = new ApolloServer<Context>({
    typeDefs,
    resolvers,
    plugins: [ApolloServerPluginLandingPageDisabled()],
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
        return { userId: rows[0].u_id as number };
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
