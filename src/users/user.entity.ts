import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';

/**
 * Django's `auth.User`, with the fields DRF's token views and admin rely on. The username is unique
 * case-insensitively (an index on lower(username) in the migration), or exactly on a Django project's own
 * table (DJANGO_DATABASE, Django's constraint). Every property has a value on insert: Django's columns have
 * no database defaults. The password (one of Django's formats) never reaches the schema: it has no @Field.
 */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'auth_user' })
export class User {
  [OptionalProps]?: 'firstName' | 'lastName' | 'isActive' | 'isStaff' | 'isSuperuser' | 'dateJoined' | 'lastLogin';

  @Field(() => ID)
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field()
  @Property({ type: 'string', length: 150 })
  username!: string;

  @Field()
  @Property({ type: 'string', length: 254 })
  email!: string;

  @Field()
  @Property({ type: 'string', length: 150, default: '' })
  firstName: string = '';

  @Field()
  @Property({ type: 'string', length: 150, default: '' })
  lastName: string = '';

  @Property({ type: 'string', length: 128, hidden: true, lazy: false })
  password!: string;

  @Field()
  @Property({ type: 'boolean', default: true })
  isActive: boolean = true;

  @Field()
  @Property({ type: 'boolean', default: false })
  isStaff: boolean = false;

  @Field()
  @Property({ type: 'boolean', default: false })
  isSuperuser: boolean = false;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  dateJoined: Date = new Date();

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  lastLogin: Date | null = null;
}
