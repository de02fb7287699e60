/**
 * One way to page a list, after type-graphql's generic `PaginatedResponse` example: `Page(Item)` is the
 * `{ items, total }` type of a list of `Item`, and `PageArgs` its `limit` and `offset` arguments (DRF's
 * LimitOffsetPagination: at most MAX_PAGE_SIZE items, DEFAULT_PAGE_SIZE unless asked).
 *
 *     @ObjectType({ simpleResolvers: true }) export class ProductPage extends Page(Product) {}
 *     @Query(() => ProductPage, { complexity: pageCost })
 *     products(@Args(() => PageArgs) args: PageArgs) { const { limit, offset } = pageOf(args); ... }
 */
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { ValidationError } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The page type of `Item`; extend it in an `@ObjectType` that names it (`ProductPage`). */
export function Page<Item extends object>(ItemType: ClassType<Item>) {
  // Never in the schema itself (nothing returns it): only the named subclasses are.
  @ObjectType({ simpleResolvers: true })
  abstract class PageOf {
    @Field(() => [ItemType], { description: 'This page, newest first.' })
    items!: Item[];

    @Field(() => Int, { description: 'How many match in all.' })
    total!: number;
  }
  return PageOf;
}

/** A page's data, as a resolver returns it. */
export interface PageData<Item> {
  items: Item[];
  total: number;
}

@ArgsType()
export class PageArgs {
  // Nullable with a default: an explicit null (as a form may send) means the default, as leaving it out does.
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: `1 to ${MAX_PAGE_SIZE}.` })
  limit!: number | null;

  @Field(() => Int, { nullable: true, defaultValue: 0 })
  offset!: number | null;
}

export interface PageWindow {
  limit: number;
  offset: number;
}

/** The page asked for, defaults filled in and checked: BAD_USER_INPUT naming `limit` or `offset`. */
export function pageOf({ limit, offset }: { limit?: number | null; offset?: number | null }): PageWindow {
  const page = { limit: limit ?? DEFAULT_PAGE_SIZE, offset: offset ?? 0 };
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_PAGE_SIZE) {
    throw new ValidationError(`limit: Ensure this value is between 1 and ${MAX_PAGE_SIZE}.`, 'limit');
  }
  if (!Number.isInteger(page.offset) || page.offset < 0) {
    throw new ValidationError('offset: Ensure this value is greater than or equal to 0.', 'offset');
  }
  return page;
}
