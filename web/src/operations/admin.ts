/** The staff admin's operations (the Token section of DRF's admin, plus user activation). */
import { graphql } from '../gql';

export const AdminTokensDocument = graphql(`
  query AdminTokens($search: String, $limit: Int, $offset: Int) {
    tokens(search: $search, limit: $limit, offset: $offset) {
      total
      items {
        key
        created
        user {
          id
          username
          email
        }
      }
    }
  }
`);

export const AdminUsersDocument = graphql(`
  query AdminUsers($search: String, $limit: Int, $offset: Int) {
    users(search: $search, limit: $limit, offset: $offset) {
      total
      items {
        id
        username
        email
        isActive
        isStaff
        isSuperuser
        dateJoined
        lastLogin
      }
    }
  }
`);

export const CreateTokenDocument = graphql(`
  mutation CreateToken($username: String!, $reset: Boolean!) {
    createToken(username: $username, reset: $reset) {
      key
      created
      user {
        id
        username
      }
    }
  }
`);

export const DeleteTokenDocument = graphql(`
  mutation DeleteToken($key: String!) {
    deleteToken(key: $key)
  }
`);

export const SetUserActiveDocument = graphql(`
  mutation SetUserActive($id: ID!, $active: Boolean!) {
    setUserActive(id: $id, active: $active) {
      id
      isActive
    }
  }
`);

export const CreateUserDocument = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      id
      username
    }
  }
`);

export const AdminLoginTokensDocument = graphql(`
  query AdminLoginTokens($search: String, $limit: Int, $offset: Int) {
    loginTokens(search: $search, limit: $limit, offset: $offset) {
      total
      items {
        id
        kind
        scopes
        name
        tokenKey
        created
        expiry
        lastUsed
        user {
          id
          username
          email
        }
      }
    }
  }
`);

export const DeleteLoginTokenDocument = graphql(`
  mutation DeleteLoginToken($id: ID!) {
    deleteLoginToken(id: $id)
  }
`);
