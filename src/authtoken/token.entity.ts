import { Entity, OneToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { User } from '../users/user.entity';
import { generateKey } from './keys';

/**
 * DRF's `authtoken.Token`: the key is the primary key, one token per user, deleted with the user.
 * The relation is one-way (Token -> User) so loading a user never joins its token.
 */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'authtoken_token' })
export class Token {
  [OptionalProps]?: 'key' | 'created';

  @Field()
  @PrimaryKey({ type: 'string', length: 40 })
  key: string = generateKey();

  @Field(() => User)
  @OneToOne({ entity: () => User, owner: true, unique: true, deleteRule: 'cascade', updateRule: 'cascade' })
  user!: User;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  created: Date = new Date();
}
