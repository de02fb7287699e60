/** The admin API's GraphQL types: pages of users and tokens, and the admin's user form. */
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { Token } from '../authtoken/token.entity';
import { LoginToken } from '../authtoken/login-token.entity';
import { User } from '../users/user.entity';
import { RegisterInput } from '../users/user.inputs';

@ObjectType({ simpleResolvers: true, description: 'One page of users, newest first, and how many match in all.' })
export class UserPage {
  @Field(() => [User])
  items!: User[];

  @Field(() => Int)
  total!: number;
}

@ObjectType({ simpleResolvers: true, description: 'One page of tokens, newest first, and how many match in all.' })
export class TokenPage {
  @Field(() => [Token])
  items!: Token[];

  @Field(() => Int)
  total!: number;
}

@ObjectType({ simpleResolvers: true, description: 'One page of login tokens, newest first, and how many match in all.' })
export class LoginTokenPage {
  @Field(() => [LoginToken])
  items!: LoginToken[];

  @Field(() => Int)
  total!: number;
}

@InputType({ description: "A user made by staff (the admin's Add user). Validated as register is." })
export class CreateUserInput extends RegisterInput {
  @Field({ defaultValue: true })
  isActive!: boolean;

  @Field({ defaultValue: false, description: 'Only a superuser may set this.' })
  isStaff!: boolean;

  @Field({ defaultValue: false, description: 'Only a superuser may set this. A superuser is also staff.' })
  isSuperuser!: boolean;
}
