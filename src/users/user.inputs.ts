import { Field, InputType } from 'type-graphql';

@InputType({ description: 'A new account. firstName and lastName default to empty.' })
export class RegisterInput {
  @Field()
  username!: string;

  @Field()
  email!: string;

  @Field()
  password!: string;

  @Field({ nullable: true })
  firstName?: string;

  @Field({ nullable: true })
  lastName?: string;
}
