/**
 * The product list's reads, kept off the ORM on purpose: a page is only read, and em.findAndCount built both
 * queries through the query builder and hydrated every row into the identity map, several times the CPU of
 * the rows themselves (profile in issue 5). The page and its count go to one pooled connection as named,
 * prepared statements (src/database/sql.ts). A new resource starts with em.findAndCount and moves here only
 * when a profile says so.
 */
import type { EntityManager, Platform } from '@mikro-orm/postgresql';
import { queryEach, queryRows } from '../database/sql';
import type { PageData, PageWindow } from '../pagination';
import type { Product } from './product.entity';

const PAGE_QUERY =
  'select "id", "name", "description", "price", "created", "updated" from "product" order by "id" desc limit $1 offset $2';
const COUNT_QUERY = 'select count(*)::int as "total" from "product"';
const BY_ID_QUERY = 'select "id", "name", "description", "price", "created", "updated" from "product" where "id" = $1';

/**
 * A row as pg hands it over under MikroORM's type parsers (numeric and timestamps as text), or as the
 * product table's trigger sends it in a notification (row_to_json: ISO timestamps).
 */
export interface ProductRow {
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
  return { items: rows.map((row) => productFromRow(row, platform)), total: count.total };
}

/** One product's row, or undefined when there is none. */
export async function productRowById(em: EntityManager, id: number): Promise<ProductRow | undefined> {
  return (await queryRows<ProductRow>(em, BY_ID_QUERY, [id]))[0];
}

/**
 * A row read as a Product (not managed by any EntityManager). Its timestamps are parsed when first read: a
 * page of 50 asked for no timestamp parsed 100 of them, a tenth of the page's own CPU in the profile.
 */
class ProductView {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly price: string;
  #created?: Date;
  #updated?: Date;

  constructor(
    private readonly row: ProductRow,
    private readonly platform: Platform,
  ) {
    this.id = Number(row.id);
    this.name = row.name;
    this.description = row.description;
    this.price = row.price;
  }

  get created(): Date {
    return (this.#created ??= this.platform.parseDate(this.row.created));
  }

  get updated(): Date {
    return (this.#updated ??= this.platform.parseDate(this.row.updated));
  }
}

/** A row as an object shaped like Product (not managed by any EntityManager). */
export function productFromRow(row: ProductRow, platform: Platform): Product {
  return new ProductView(row, platform) as unknown as Product;
}
