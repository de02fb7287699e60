/**
 * Live product changes: the `productChanged` subscription's types, and the in-process channel the
 * database's notifications are published on (src/realtime/hub.ts publishes, every subscriber reads).
 *
 * An event says what happened and carries the product as it was written: for DELETED, as it was before the
 * delete (its id no longer resolves).
 */
import { createPubSub } from '@graphql-yoga/subscription';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Product } from './product.entity';

export enum ProductEventKind {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  DELETED = 'DELETED',
}

registerEnumType(ProductEventKind, { name: 'ProductEventKind', description: 'What happened to the product.' });

@ObjectType({ simpleResolvers: true, description: 'A product was created, updated or deleted, by anyone, through any server.' })
export class ProductEvent {
  @Field(() => ProductEventKind)
  kind!: ProductEventKind;

  @Field(() => Product)
  product!: Product;
}

export const PRODUCT_CHANGED = 'productChanged';

export type LivePubSub = ReturnType<typeof createLivePubSub>;

/** One per app: what a process's notifications are fanned out through to its subscribers. */
export function createLivePubSub() {
  return createPubSub<{ [PRODUCT_CHANGED]: [ProductEvent] }>();
}
