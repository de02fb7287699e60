/** The account's operations: register, log in, who am I, log out, regenerate the token. */
import { graphql } from '../gql';

export const RegisterDocument = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      id
      username
    }
  }
`);

export const ObtainAuthTokenDocument = graphql(`
  mutation ObtainAuthToken($username: String!, $password: String!) {
    obtainAuthToken(username: $username, password: $password) {
      token
      userId
      email
    }
  }
`);

export const MeDocument = graphql(`
  query Me {
    me {
      id
      username
      email
      firstName
      lastName
      isStaff
      isSuperuser
      dateJoined
      lastLogin
    }
  }
`);

export const LogoutDocument = graphql(`
  mutation Logout {
    logout
  }
`);

export const RegenerateTokenDocument = graphql(`
  mutation RegenerateToken {
    regenerateToken {
      token
    }
  }
`);
