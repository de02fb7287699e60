/**
 * The product list's reads, kept off the ORM on purpose: a page is only read, and em.findAndCount built both
 * queries through the query builder and hydrated every row into the identity map, several times the CPU of
 * the rows themselves (profile in issue 5). The page and its count go to one pooled connection as named,
 * prepared statements (src/database/sql.ts). A new resource starts with em.findAndCount and moves here only
 * when a profile says so.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { queryEach } from '../database/sql';
import type { PageData, PageWindow } from '../pagination';
import type { Product } from './product.entity';

const PAGE_QUERY =
  'select "id", "name", "description", "price", "created", "updated" from "product" order by "id" desc limit $1 offset $2';
const COUNT_QUERY = 'select count(*)::int as "total" from "product"';

/** A row as pg hands it over under MikroORM's type parsers: numeric and timestamps as text. */
interface ProductRow {
  id: number;
  name: string;
  description: string;
  price: string;
  created: string;
  updated: string;
}

/** One page of products, newest first, as plain objects shaped like Product (not managed by `em`). */
export async function listProducts(em: EntityManager, { limit, offset }: PageWindow): Promise<PageData<Product>> {
  const [rows, [count]] = await queryEach<[ProductRow, { total: number }]>(em, [[PAGE_QUERY, [limit, offset]], [COUNT_QUERY]]);
  const platform = em.getPlatform();
  const items = rows.map((row) => ({ ...row, created: platform.parseDate(row.created), updated: platform.parseDate(row.updated) }) as Product);
  return { items, total: count.total };
}
