import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { queryEach } from '../database/sql';
import { pageCost } from '../limits/cost';
import { NotFound } from '../errors';
import { checkPage, parseId } from '../validation';
import { Product } from './product.entity';
import { ProductInput, ProductPage } from './product.types';
import { cleanProduct } from './product.validation';

const PAGE_QUERY =
  'select "id", "name", "description", "price", "created", "updated" from "product" order by "id" desc limit $1 offset $2';
const COUNT_QUERY = 'select count(*)::int as "total" from "product"';

/** DRF's ModelViewSet, as GraphQL: list, retrieve, create, update, destroy. Every field needs a token. */
@Authorized()
@Resolver(() => Product)
export class ProductResolver {
  @Query(() => ProductPage, { complexity: pageCost })
  async products(
    @Arg('limit', () => Int, { defaultValue: 20 }) limit: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
    @Ctx() { em }: Context,
  ): Promise<ProductPage> {
    checkPage(limit, offset);
    // A page is only read, so its rows go out as plain objects: em.findAndCount built both queries through
    // the ORM and hydrated every row into the identity map, several times the CPU of the rows themselves
    // (profile in issue 5). Still two statements, the page and the count, sent on one pooled connection
    // (src/database/sql.ts).
    const [rows, [count]] = await queryEach<[Product, { total: number }]>(em, [[PAGE_QUERY, [limit, offset]], [COUNT_QUERY]]);
    // MikroORM has pg hand timestamps over as text; the platform turns them into Dates as hydration would.
    const platform = em.getPlatform();
    const items = rows.map((row) => ({
      ...row,
      created: platform.parseDate(row.created as unknown as string),
      updated: platform.parseDate(row.updated as unknown as string),
    }));
    return { items, total: count.total };
  }

  @Query(() => Product, { nullable: true, description: 'The product, or null when there is none with this id.' })
  async product(@Arg('id', () => ID) id: string, @Ctx() { em }: Context): Promise<Product | null> {
    return em.findOne(Product, { id: parseId(id) });
  }

  @Mutation(() => Product)
  async createProduct(@Arg('input', () => ProductInput) input: ProductInput, @Ctx() { em }: Context): Promise<Product> {
    const product = em.create(Product, cleanProduct(input));
    await em.flush();
    return product;
  }

  @Mutation(() => Product, { description: 'Replaces every field of the product (a PUT). NOT_FOUND if missing.' })
  async updateProduct(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ProductInput) input: ProductInput,
    @Ctx() { em }: Context,
  ): Promise<Product> {
    const clean = cleanProduct(input);
    const product = await em.findOne(Product, { id: parseId(id) });
    if (!product) throw new NotFound('No Product matches the given query.');
    em.assign(product, clean);
    await em.flush();
    return product;
  }

  @Mutation(() => Boolean, { description: 'Deletes the product. NOT_FOUND if missing.' })
  async deleteProduct(@Arg('id', () => ID) id: string, @Ctx() { em }: Context): Promise<boolean> {
    const deleted = await em.nativeDelete(Product, { id: parseId(id) });
    if (deleted === 0) throw new NotFound('No Product matches the given query.');
    return true;
  }
}
