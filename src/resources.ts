/**
 * Every resource of the API, in one list: its entities (for MikroORM) and its resolvers (for the schema).
 * Adding a resource adds its entity and its resolver here; src/database/orm.ts and src/schema.ts read these.
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
import { AccessResolver } from './access/access.resolver';

export const entities = [User, Token, LoginToken, Product];

export const resolvers = [UserResolver, TokenResolver, LoginTokenFieldResolver, ProductResolver, ProductEventResolver, AdminResolver, AccessResolver] as const;
