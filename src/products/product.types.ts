import { Field, InputType, ObjectType } from 'type-graphql';
import { Page } from '../pagination';
import { DecimalScalar } from './decimal.scalar';
import { Product } from './product.entity';

@InputType()
export class ProductInput {
  @Field({ description: '1 to 200 characters.' })
  name!: string;

  @Field({ nullable: true, description: 'Up to 10,000 characters; defaults to empty.' })
  description?: string;

  @Field(() => DecimalScalar, { description: 'From "0" to "9999999999.99", at most two decimal places.' })
  price!: string;
}

@ObjectType({ simpleResolvers: true, description: 'One page of products, newest first, and how many there are in all.' })
export class ProductPage extends Page(Product) {}
