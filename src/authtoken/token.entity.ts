import { Entity, OneToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { User } from '../users/user.entity';

/**
 * DRF's `authtoken.Token`: the key is the primary key, one token per user, deleted with the user.
 * The relation is one-way (Token -> User) so loading a user never joins its token. Rows are made and
 * removed by the token store (src/authtoken/token-store.ts) only, which also makes the keys.
 */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'authtoken_token' })
export class Token {
  [OptionalProps]?: 'created';

  @Field()
  @PrimaryKey({ type: 'string', length: 40 })
  key!: string;

  @Field(() => User)
  @OneToOne({ entity: () => User, owner: true, unique: true, deleteRule: 'cascade', updateRule: 'cascade' })
  user!: User;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  created: Date = new Date();
}
