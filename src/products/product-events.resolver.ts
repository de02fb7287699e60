import { Authorized, Resolver, Root, Subscription } from 'type-graphql';
import { productChanged, ProductEvent } from './product-events';
import { Scope } from '../access/scope';

/** Subscriptions on products: over WebSocket only (see docs/subscriptions.md), with a token, like the rest. */
@Resolver()
export class ProductEventResolver {
  @Scope('products:read')
  @Authorized()
  @Subscription(() => ProductEvent, {
    topics: productChanged.topic,
    description: 'Every product created, updated or deleted from now on, through any worker or replica. Over WebSocket at /graphql.',
  })
  productChanged(@Root() event: ProductEvent): ProductEvent {
    return event;
  }
}
