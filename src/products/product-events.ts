/**
 * Live product changes: the `productChanged` subscription's types, and the event it subscribes to, as the
 * product migration's `product_notify` trigger sends it on `authtoken_product` (registered in
 * src/resources.ts; src/realtime/live-events.ts says how).
 *
 * An event says what happened and carries the product as it was written: for DELETED, as it was before the
 * delete (its id no longer resolves).
 */
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { liveEvent } from '../realtime/live-events';
import { Product } from './product.entity';
import { productFromRow, productRowById, type ProductRow } from './product.queries';

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

type ProductNotification = { kind: ProductEventKind; product: ProductRow } | { kind: ProductEventKind; id: number };

const KINDS = new Set<string>(Object.values(ProductEventKind));

export const productChanged = liveEvent<ProductEvent>({
  channel: 'authtoken_product',
  topic: 'productChanged',
  async decode(payload, orm) {
    const message = JSON.parse(payload) as ProductNotification;
    if (!KINDS.has(message.kind)) throw new Error(`Unexpected product event: ${payload}`);
    let row: ProductRow | undefined;
    if ('product' in message) {
      row = message.product;
    } else {
      // Too large for a notification: read it. Gone already means a DELETED event follows.
      row = await productRowById(orm.em, message.id);
      if (!row) return undefined;
    }
    return { kind: message.kind, product: productFromRow(row, orm.em.getPlatform()) };
  },
});
