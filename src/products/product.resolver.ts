import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { pageCost } from '../limits/cost';
import { NotFound } from '../errors';
import { PageArgs, pageOf } from '../pagination';
import { parseId } from '../validation';
import { Product } from './product.entity';
import { ProductInput, ProductPage } from './product.types';
import { cleanProduct } from './product.validation';
import { listProducts } from './product.queries';
import { Scope } from '../access/scope';

/** DRF's ModelViewSet, as GraphQL: list, retrieve, create, update, destroy. Every field needs a token. */
@Authorized()
@Resolver(() => Product)
export class ProductResolver {
  @Scope('products:read')
  @Query(() => ProductPage, { complexity: pageCost })
  products(@Args(() => PageArgs) page: PageArgs, @Ctx() { em }: Context): Promise<ProductPage> {
    return listProducts(em, pageOf(page));
  }

  @Scope('products:read')
  @Query(() => Product, { nullable: true, description: 'The product, or null when there is none with this id.' })
  async product(@Arg('id', () => ID) id: string, @Ctx() { em }: Context): Promise<Product | null> {
    return em.findOne(Product, { id: parseId(id) });
  }

  @Scope('products:write')
  @Mutation(() => Product)
  async createProduct(@Arg('input', () => ProductInput) input: ProductInput, @Ctx() { em }: Context): Promise<Product> {
    const product = em.create(Product, cleanProduct(input));
    await em.flush();
    return product;
  }

  @Scope('products:write')
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

  @Scope('products:write')
  @Mutation(() => Boolean, { description: 'Deletes the product. NOT_FOUND if missing.' })
  async deleteProduct(@Arg('id', () => ID) id: string, @Ctx() { em }: Context): Promise<boolean> {
    const deleted = await em.nativeDelete(Product, { id: parseId(id) });
    if (deleted === 0) throw new NotFound('No Product matches the given query.');
    return true;
  }
}
