import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { DecimalScalar } from './decimal.scalar';

/** The example protected resource, after DRF's ModelViewSet examples. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'product' })
export class Product {
  [OptionalProps]?: 'description' | 'created' | 'updated';

  @Field(() => ID)
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field()
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field()
  @Property({ type: 'text', default: '' })
  description: string = '';

  /** numeric(12,2), carried as a string end to end so no cent is lost to floating point. */
  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 12, scale: 2 })
  price!: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  created: Date = new Date();

  /** A new product's is its `created` (one clock reading, not two a millisecond apart). */
  @Field(() => DateTimeISOResolver)
  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updated: Date = new Date(this.created);
}
