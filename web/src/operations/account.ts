/** The account's operations: register, log in (DRF token or login token), who am I, log out, regenerate the token, devices, access tokens, password. */
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

export const StartSessionDocument = graphql(`
  mutation StartSession($username: String!, $password: String!, $name: String) {
    startSession(username: $username, password: $password, name: $name) {
      tokenId
      expiry
    }
  }
`);

export const LoginDocument = graphql(`
  mutation Login($username: String!, $password: String!, $name: String) {
    login(username: $username, password: $password, name: $name) {
      token
      tokenId
      expiry
    }
  }
`);

export const MyTokensDocument = graphql(`
  query MyTokens {
    myTokens {
      id
      kind
      name
      tokenKey
      created
      expiry
      lastUsed
      current
      scopes
      allowedCidrs
      rate
    }
  }
`);

export const AccessScopesDocument = graphql(`
  query AccessScopes {
    accessScopes {
      name
      description
    }
  }
`);

export const CreateAccessTokenDocument = graphql(`
  mutation CreateAccessToken($name: String!, $scopes: [String!]!, $expiresInDays: Int, $allowedCidrs: [String!], $rate: String) {
    createAccessToken(name: $name, scopes: $scopes, expiresInDays: $expiresInDays, allowedCidrs: $allowedCidrs, rate: $rate) {
      token
      tokenId
      name
      scopes
      expiry
    }
  }
`);

export const RotateTokenDocument = graphql(`
  mutation RotateToken($id: ID!, $graceSeconds: Int) {
    rotateToken(id: $id, graceSeconds: $graceSeconds) {
      token
      tokenId
      name
      expiry
    }
  }
`);

export const ConfirmPasswordDocument = graphql(`
  mutation ConfirmPassword($password: String!) {
    confirmPassword(password: $password)
  }
`);

export const RevokeTokenDocument = graphql(`
  mutation RevokeToken($id: ID!) {
    revokeToken(id: $id)
  }
`);

export const LogoutAllDocument = graphql(`
  mutation LogoutAll {
    logoutAll
  }
`);

export const ChangePasswordDocument = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);
