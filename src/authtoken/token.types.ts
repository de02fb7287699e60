import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true, description: "The answer of obtainAuthToken and regenerateToken: DRF's CustomAuthToken recipe." })
export class ObtainAuthTokenPayload {
  @Field({ description: 'The key to send as `Authorization: Token <key>`.' })
  token!: string;

  @Field(() => ID)
  userId!: string;

  @Field()
  email!: string;
}
