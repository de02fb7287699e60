/**
 * Every resource of the API, in one list: its entities (for MikroORM), its resolvers (for the schema) and
 * its live events (for subscriptions: src/realtime/live-events.ts). Adding a resource adds its entity, its
 * resolver and any event it publishes here; src/database/orm.ts, src/schema.ts and src/realtime/hub.ts read
 * these.
 */
import { User } from './users/user.entity';
import { UserResolver } from './users/user.resolver';
import { Token } from './authtoken/token.entity';
import { LoginTokenFieldResolver, TokenResolver } from './authtoken/token.resolver';
import { LoginToken } from './authtoken/login-token.entity';
import { Product } from './products/product.entity';
import { ProductResolver } from './products/product.resolver';
import { AdminResolver } from './admin/admin.resolver';
import { ProductEventResolver } from './products/product-events.resolver';
import { productChanged } from './products/product-events';
import { AccessResolver } from './access/access.resolver';
import type { LiveEvent } from './realtime/live-events';
import { SecurityEventResolver } from './security/security-event.resolver';
import { SessionResolver } from './sessions/session.resolver';

export const entities = [User, Token, LoginToken, Product];

export const resolvers = [
  UserResolver,
  TokenResolver,
  SessionResolver,
  LoginTokenFieldResolver,
  ProductResolver,
  ProductEventResolver,
  AdminResolver,
  AccessResolver,
  SecurityEventResolver,
] as const;

export const liveEvents: readonly LiveEvent[] = [productChanged];
