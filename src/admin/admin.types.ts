/** The admin API's GraphQL types: pages of users and tokens, and the admin's user form. */
import { Field, InputType, ObjectType } from 'type-graphql';
import { Page } from '../pagination';
import { Token } from '../authtoken/token.entity';
import { LoginToken } from '../authtoken/login-token.entity';
import { User } from '../users/user.entity';
import { RegisterInput } from '../users/user.inputs';

@ObjectType({ simpleResolvers: true, description: 'One page of users, newest first, and how many match in all.' })
export class UserPage extends Page(User) {}

@ObjectType({ simpleResolvers: true, description: 'One page of tokens, newest first, and how many match in all.' })
export class TokenPage extends Page(Token) {}

@ObjectType({ simpleResolvers: true, description: 'One page of login tokens, newest first, and how many match in all.' })
export class LoginTokenPage extends Page(LoginToken) {}

@InputType({ description: "A user made by staff (the admin's Add user). Validated as register is." })
export class CreateUserInput extends RegisterInput {
  @Field({ defaultValue: true })
  isActive!: boolean;

  @Field({ defaultValue: false, description: 'Only a superuser may set this.' })
  isStaff!: boolean;

  @Field({ defaultValue: false, description: 'Only a superuser may set this. A superuser is also staff.' })
  isSuperuser!: boolean;
}
