/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      username\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation ObtainAuthToken($username: String!, $password: String!) {\n    obtainAuthToken(username: $username, password: $password) {\n      token\n      userId\n      email\n    }\n  }\n": typeof types.ObtainAuthTokenDocument,
    "\n  query Me {\n    me {\n      id\n      username\n      email\n      firstName\n      lastName\n      isStaff\n      isSuperuser\n      dateJoined\n      lastLogin\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  mutation RegenerateToken {\n    regenerateToken {\n      token\n    }\n  }\n": typeof types.RegenerateTokenDocument,
    "\n  mutation StartSession($username: String!, $password: String!, $name: String) {\n    startSession(username: $username, password: $password, name: $name) {\n      tokenId\n      expiry\n    }\n  }\n": typeof types.StartSessionDocument,
    "\n  mutation Login($username: String!, $password: String!, $name: String) {\n    login(username: $username, password: $password, name: $name) {\n      token\n      tokenId\n      expiry\n    }\n  }\n": typeof types.LoginDocument,
    "\n  query MyTokens {\n    myTokens {\n      id\n      kind\n      name\n      tokenKey\n      created\n      expiry\n      lastUsed\n      current\n      scopes\n      allowedCidrs\n      rate\n    }\n  }\n": typeof types.MyTokensDocument,
    "\n  query AccessScopes {\n    accessScopes {\n      name\n      description\n    }\n  }\n": typeof types.AccessScopesDocument,
    "\n  mutation CreateAccessToken($name: String!, $scopes: [String!]!, $expiresInDays: Int, $allowedCidrs: [String!], $rate: String) {\n    createAccessToken(name: $name, scopes: $scopes, expiresInDays: $expiresInDays, allowedCidrs: $allowedCidrs, rate: $rate) {\n      token\n      tokenId\n      name\n      scopes\n      expiry\n    }\n  }\n": typeof types.CreateAccessTokenDocument,
    "\n  mutation RotateToken($id: ID!, $graceSeconds: Int) {\n    rotateToken(id: $id, graceSeconds: $graceSeconds) {\n      token\n      tokenId\n      name\n      expiry\n    }\n  }\n": typeof types.RotateTokenDocument,
    "\n  mutation ConfirmPassword($password: String!) {\n    confirmPassword(password: $password)\n  }\n": typeof types.ConfirmPasswordDocument,
    "\n  mutation RevokeToken($id: ID!) {\n    revokeToken(id: $id)\n  }\n": typeof types.RevokeTokenDocument,
    "\n  mutation LogoutAll {\n    logoutAll\n  }\n": typeof types.LogoutAllDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": typeof types.ChangePasswordDocument,
    "\n  query AdminTokens($search: String, $limit: Int, $offset: Int) {\n    tokens(search: $search, limit: $limit, offset: $offset) {\n      total\n      items {\n        key\n        created\n        user {\n          id\n          username\n          email\n        }\n      }\n    }\n  }\n": typeof types.AdminTokensDocument,
    "\n  query AdminUsers($search: String, $limit: Int, $offset: Int) {\n    users(search: $search, limit: $limit, offset: $offset) {\n      total\n      items {\n        id\n        username\n        email\n        isActive\n        isStaff\n        isSuperuser\n        dateJoined\n        lastLogin\n      }\n    }\n  }\n": typeof types.AdminUsersDocument,
    "\n  mutation CreateToken($username: String!, $reset: Boolean!) {\n    createToken(username: $username, reset: $reset) {\n      key\n      created\n      user {\n        id\n        username\n      }\n    }\n  }\n": typeof types.CreateTokenDocument,
    "\n  mutation DeleteToken($key: String!) {\n    deleteToken(key: $key)\n  }\n": typeof types.DeleteTokenDocument,
    "\n  mutation SetUserActive($id: ID!, $active: Boolean!) {\n    setUserActive(id: $id, active: $active) {\n      id\n      isActive\n    }\n  }\n": typeof types.SetUserActiveDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n      username\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  query AdminLoginTokens($search: String, $limit: Int, $offset: Int) {\n    loginTokens(search: $search, limit: $limit, offset: $offset) {\n      total\n      items {\n        id\n        kind\n        scopes\n        name\n        tokenKey\n        created\n        expiry\n        lastUsed\n        user {\n          id\n          username\n          email\n        }\n      }\n    }\n  }\n": typeof types.AdminLoginTokensDocument,
    "\n  mutation DeleteLoginToken($id: ID!) {\n    deleteLoginToken(id: $id)\n  }\n": typeof types.DeleteLoginTokenDocument,
    "\n  query Products($limit: Int!, $offset: Int!) {\n    products(limit: $limit, offset: $offset) {\n      total\n      items {\n        id\n        name\n        description\n        price\n        updated\n      }\n    }\n  }\n": typeof types.ProductsDocument,
    "\n  mutation CreateProduct($input: ProductInput!) {\n    createProduct(input: $input) {\n      id\n      name\n      description\n      price\n      updated\n    }\n  }\n": typeof types.CreateProductDocument,
    "\n  mutation UpdateProduct($id: ID!, $input: ProductInput!) {\n    updateProduct(id: $id, input: $input) {\n      id\n      name\n      description\n      price\n      updated\n    }\n  }\n": typeof types.UpdateProductDocument,
    "\n  mutation DeleteProduct($id: ID!) {\n    deleteProduct(id: $id)\n  }\n": typeof types.DeleteProductDocument,
    "\n  subscription ProductChanged {\n    productChanged {\n      kind\n      product {\n        id\n        name\n      }\n    }\n  }\n": typeof types.ProductChangedDocument,
    "\n  query MySecurityEvents($first: Int, $after: String) {\n    mySecurityEvents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          type\n          userId\n          actorId\n          tokenKind\n          tokenKey\n          ip\n          userAgent\n          operation\n          detail\n          count\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.MySecurityEventsDocument,
    "\n  query SecurityEvents($filter: SecurityEventFilter, $first: Int, $after: String) {\n    securityEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          type\n          auth0Code\n          userId\n          actorId\n          username\n          tokenKind\n          tokenKey\n          ip\n          userAgent\n          requestId\n          operation\n          detail\n          count\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.SecurityEventsDocument,
};
const documents: Documents = {
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      username\n    }\n  }\n": types.RegisterDocument,
    "\n  mutation ObtainAuthToken($username: String!, $password: String!) {\n    obtainAuthToken(username: $username, password: $password) {\n      token\n      userId\n      email\n    }\n  }\n": types.ObtainAuthTokenDocument,
    "\n  query Me {\n    me {\n      id\n      username\n      email\n      firstName\n      lastName\n      isStaff\n      isSuperuser\n      dateJoined\n      lastLogin\n    }\n  }\n": types.MeDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  mutation RegenerateToken {\n    regenerateToken {\n      token\n    }\n  }\n": types.RegenerateTokenDocument,
    "\n  mutation StartSession($username: String!, $password: String!, $name: String) {\n    startSession(username: $username, password: $password, name: $name) {\n      tokenId\n      expiry\n    }\n  }\n": types.StartSessionDocument,
    "\n  mutation Login($username: String!, $password: String!, $name: String) {\n    login(username: $username, password: $password, name: $name) {\n      token\n      tokenId\n      expiry\n    }\n  }\n": types.LoginDocument,
    "\n  query MyTokens {\n    myTokens {\n      id\n      kind\n      name\n      tokenKey\n      created\n      expiry\n      lastUsed\n      current\n      scopes\n      allowedCidrs\n      rate\n    }\n  }\n": types.MyTokensDocument,
    "\n  query AccessScopes {\n    accessScopes {\n      name\n      description\n    }\n  }\n": types.AccessScopesDocument,
    "\n  mutation CreateAccessToken($name: String!, $scopes: [String!]!, $expiresInDays: Int, $allowedCidrs: [String!], $rate: String) {\n    createAccessToken(name: $name, scopes: $scopes, expiresInDays: $expiresInDays, allowedCidrs: $allowedCidrs, rate: $rate) {\n      token\n      tokenId\n      name\n      scopes\n      expiry\n    }\n  }\n": types.CreateAccessTokenDocument,
    "\n  mutation RotateToken($id: ID!, $graceSeconds: Int) {\n    rotateToken(id: $id, graceSeconds: $graceSeconds) {\n      token\n      tokenId\n      name\n      expiry\n    }\n  }\n": types.RotateTokenDocument,
    "\n  mutation ConfirmPassword($password: String!) {\n    confirmPassword(password: $password)\n  }\n": types.ConfirmPasswordDocument,
    "\n  mutation RevokeToken($id: ID!) {\n    revokeToken(id: $id)\n  }\n": types.RevokeTokenDocument,
    "\n  mutation LogoutAll {\n    logoutAll\n  }\n": types.LogoutAllDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": types.ChangePasswordDocument,
    "\n  query AdminTokens($search: String, $limit: Int, $offset: Int) {\n    tokens(search: $search, limit: $limit, offset: $offset) {\n      total\n      items {\n        key\n        created\n        user {\n          id\n          username\n          email\n        }\n      }\n    }\n  }\n": types.AdminTokensDocument,
    "\n  query AdminUsers($search: String, $limit: Int, $offset: Int) {\n    users(search: $search, limit: $limit, offset: $offset) {\n      total\n      items {\n        id\n        username\n        email\n        isActive\n        isStaff\n        isSuperuser\n        dateJoined\n        lastLogin\n      }\n    }\n  }\n": types.AdminUsersDocument,
    "\n  mutation CreateToken($username: String!, $reset: Boolean!) {\n    createToken(username: $username, reset: $reset) {\n      key\n      created\n      user {\n        id\n        username\n      }\n    }\n  }\n": types.CreateTokenDocument,
    "\n  mutation DeleteToken($key: String!) {\n    deleteToken(key: $key)\n  }\n": types.DeleteTokenDocument,
    "\n  mutation SetUserActive($id: ID!, $active: Boolean!) {\n    setUserActive(id: $id, active: $active) {\n      id\n      isActive\n    }\n  }\n": types.SetUserActiveDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n      username\n    }\n  }\n": types.CreateUserDocument,
    "\n  query AdminLoginTokens($search: String, $limit: Int, $offset: Int) {\n    loginTokens(search: $search, limit: $limit, offset: $offset) {\n      total\n      items {\n        id\n        kind\n        scopes\n        name\n        tokenKey\n        created\n        expiry\n        lastUsed\n        user {\n          id\n          username\n          email\n        }\n      }\n    }\n  }\n": types.AdminLoginTokensDocument,
    "\n  mutation DeleteLoginToken($id: ID!) {\n    deleteLoginToken(id: $id)\n  }\n": types.DeleteLoginTokenDocument,
    "\n  query Products($limit: Int!, $offset: Int!) {\n    products(limit: $limit, offset: $offset) {\n      total\n      items {\n        id\n        name\n        description\n        price\n        updated\n      }\n    }\n  }\n": types.ProductsDocument,
    "\n  mutation CreateProduct($input: ProductInput!) {\n    createProduct(input: $input) {\n      id\n      name\n      description\n      price\n      updated\n    }\n  }\n": types.CreateProductDocument,
    "\n  mutation UpdateProduct($id: ID!, $input: ProductInput!) {\n    updateProduct(id: $id, input: $input) {\n      id\n      name\n      description\n      price\n      updated\n    }\n  }\n": types.UpdateProductDocument,
    "\n  mutation DeleteProduct($id: ID!) {\n    deleteProduct(id: $id)\n  }\n": types.DeleteProductDocument,
    "\n  subscription ProductChanged {\n    productChanged {\n      kind\n      product {\n        id\n        name\n      }\n    }\n  }\n": types.ProductChangedDocument,
    "\n  query MySecurityEvents($first: Int, $after: String) {\n    mySecurityEvents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          type\n          userId\n          actorId\n          tokenKind\n          tokenKey\n          ip\n          userAgent\n          operation\n          detail\n          count\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.MySecurityEventsDocument,
    "\n  query SecurityEvents($filter: SecurityEventFilter, $first: Int, $after: String) {\n    securityEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          type\n          auth0Code\n          userId\n          actorId\n          username\n          tokenKind\n          tokenKey\n          ip\n          userAgent\n          requestId\n          operation\n          detail\n          count\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.SecurityEventsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      username\n    }\n  }\n"): (typeof documents)["\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      username\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ObtainAuthToken($username: String!, $password: String!) {\n    obtainAuthToken(username: $username, password: $password) {\n      token\n      userId\n      email\n    }\n  }\n"): (typeof documents)["\n  mutation ObtainAuthToken($username: String!, $password: String!) {\n    obtainAuthToken(username: $username, password: $password) {\n      token\n      userId\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      username\n      email\n      firstName\n      lastName\n      isStaff\n      isSuperuser\n      dateJoined\n      lastLogin\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      username\n      email\n      firstName\n      lastName\n      isStaff\n      isSuperuser\n      dateJoined\n      lastLogin\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegenerateToken {\n    regenerateToken {\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation RegenerateToken {\n    regenerateToken {\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartSession($username: String!, $password: String!, $name: String) {\n    startSession(username: $username, password: $password, name: $name) {\n      tokenId\n      expiry\n    }\n  }\n"): (typeof documents)["\n  mutation StartSession($username: String!, $password: String!, $name: String) {\n    startSession(username: $username, password: $password, name: $name) {\n      tokenId\n      expiry\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($username: String!, $password: String!, $name: String) {\n    login(username: $username, password: $password, name: $name) {\n      token\n      tokenId\n      expiry\n    }\n  }\n"): (typeof documents)["\n  mutation Login($username: String!, $password: String!, $name: String) {\n    login(username: $username, password: $password, name: $name) {\n      token\n      tokenId\n      expiry\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyTokens {\n    myTokens {\n      id\n      kind\n      name\n      tokenKey\n      created\n      expiry\n      lastUsed\n      current\n      scopes\n      allowedCidrs\n      rate\n    }\n  }\n"): (typeof documents)["\n  query MyTokens {\n    myTokens {\n      id\n      kind\n      name\n      tokenKey\n      created\n      expiry\n      lastUsed\n      current\n      scopes\n      allowedCidrs\n      rate\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccessScopes {\n    accessScopes {\n      name\n      description\n    }\n  }\n"): (typeof documents)["\n  query AccessScopes {\n    accessScopes {\n      name\n      description\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAccessToken($name: String!, $scopes: [String!]!, $expiresInDays: Int, $allowedCidrs: [String!], $rate: String) {\n    createAccessToken(name: $name, scopes: $scopes, expiresInDays: $expiresInDays, allowedCidrs: $allowedCidrs, rate: $rate) {\n      token\n      tokenId\n      name\n      scopes\n      expiry\n    }\n  }\n"): (typeof documents)["\n  mutation CreateAccessToken($name: String!, $scopes: [String!]!, $expiresInDays: Int, $allowedCidrs: [String!], $rate: String) {\n    createAccessToken(name: $name, scopes: $scopes, expiresInDays: $expiresInDays, allowedCidrs: $allowedCidrs, rate: $rate) {\n      token\n      tokenId\n      name\n      scopes\n      expiry\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateToken($id: ID!, $graceSeconds: Int) {\n    rotateToken(id: $id, graceSeconds: $graceSeconds) {\n      token\n      tokenId\n      name\n      expiry\n    }\n  }\n"): (typeof documents)["\n  mutation RotateToken($id: ID!, $graceSeconds: Int) {\n    rotateToken(id: $id, graceSeconds: $graceSeconds) {\n      token\n      tokenId\n      name\n      expiry\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmPassword($password: String!) {\n    confirmPassword(password: $password)\n  }\n"): (typeof documents)["\n  mutation ConfirmPassword($password: String!) {\n    confirmPassword(password: $password)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeToken($id: ID!) {\n    revokeToken(id: $id)\n  }\n"): (typeof documents)["\n  mutation RevokeToken($id: ID!) {\n    revokeToken(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogoutAll {\n    logoutAll\n  }\n"): (typeof documents)["\n  mutation LogoutAll {\n    logoutAll\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"): (typeof documents)["\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminTokens($search: String, $limit: Int, $offset: Int) {\n    tokens(search: $search, limit: $limit, offset: $offset) {\n      total\n      items {\n        key\n        created\n        user {\n          id\n          username\n          email\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminTokens($search: String, $limit: Int, $offset: Int) {\n    tokens(search: $search, limit: $limit, offset: $offset) {\n      total\n      items {\n        key\n        created\n        user {\n          id\n          username\n          email\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminUsers($search: String, $limit: Int, $offset: Int) {\n    users(search: $search, limit: $limit, offset: $offset) {\n      total\n      items {\n        id\n        username\n        email\n        isActive\n        isStaff\n        isSuperuser\n        dateJoined\n        lastLogin\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminUsers($search: String, $limit: Int, $offset: Int) {\n    users(search: $search, limit: $limit, offset: $offset) {\n      total\n      items {\n        id\n        username\n        email\n        isActive\n        isStaff\n        isSuperuser\n        dateJoined\n        lastLogin\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateToken($username: String!, $reset: Boolean!) {\n    createToken(username: $username, reset: $reset) {\n      key\n      created\n      user {\n        id\n        username\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateToken($username: String!, $reset: Boolean!) {\n    createToken(username: $username, reset: $reset) {\n      key\n      created\n      user {\n        id\n        username\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteToken($key: String!) {\n    deleteToken(key: $key)\n  }\n"): (typeof documents)["\n  mutation DeleteToken($key: String!) {\n    deleteToken(key: $key)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserActive($id: ID!, $active: Boolean!) {\n    setUserActive(id: $id, active: $active) {\n      id\n      isActive\n    }\n  }\n"): (typeof documents)["\n  mutation SetUserActive($id: ID!, $active: Boolean!) {\n    setUserActive(id: $id, active: $active) {\n      id\n      isActive\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n      username\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n      username\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminLoginTokens($search: String, $limit: Int, $offset: Int) {\n    loginTokens(search: $search, limit: $limit, offset: $offset) {\n      total\n      items {\n        id\n        kind\n        scopes\n        name\n        tokenKey\n        created\n        expiry\n        lastUsed\n        user {\n          id\n          username\n          email\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminLoginTokens($search: String, $limit: Int, $offset: Int) {\n    loginTokens(search: $search, limit: $limit, offset: $offset) {\n      total\n      items {\n        id\n        kind\n        scopes\n        name\n        tokenKey\n        created\n        expiry\n        lastUsed\n        user {\n          id\n          username\n          email\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteLoginToken($id: ID!) {\n    deleteLoginToken(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteLoginToken($id: ID!) {\n    deleteLoginToken(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Products($limit: Int!, $offset: Int!) {\n    products(limit: $limit, offset: $offset) {\n      total\n      items {\n        id\n        name\n        description\n        price\n        updated\n      }\n    }\n  }\n"): (typeof documents)["\n  query Products($limit: Int!, $offset: Int!) {\n    products(limit: $limit, offset: $offset) {\n      total\n      items {\n        id\n        name\n        description\n        price\n        updated\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateProduct($input: ProductInput!) {\n    createProduct(input: $input) {\n      id\n      name\n      description\n      price\n      updated\n    }\n  }\n"): (typeof documents)["\n  mutation CreateProduct($input: ProductInput!) {\n    createProduct(input: $input) {\n      id\n      name\n      description\n      price\n      updated\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProduct($id: ID!, $input: ProductInput!) {\n    updateProduct(id: $id, input: $input) {\n      id\n      name\n      description\n      price\n      updated\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateProduct($id: ID!, $input: ProductInput!) {\n    updateProduct(id: $id, input: $input) {\n      id\n      name\n      description\n      price\n      updated\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteProduct($id: ID!) {\n    deleteProduct(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteProduct($id: ID!) {\n    deleteProduct(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ProductChanged {\n    productChanged {\n      kind\n      product {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ProductChanged {\n    productChanged {\n      kind\n      product {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySecurityEvents($first: Int, $after: String) {\n    mySecurityEvents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          type\n          userId\n          actorId\n          tokenKind\n          tokenKey\n          ip\n          userAgent\n          operation\n          detail\n          count\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query MySecurityEvents($first: Int, $after: String) {\n    mySecurityEvents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          type\n          userId\n          actorId\n          tokenKind\n          tokenKey\n          ip\n          userAgent\n          operation\n          detail\n          count\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecurityEvents($filter: SecurityEventFilter, $first: Int, $after: String) {\n    securityEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          type\n          auth0Code\n          userId\n          actorId\n          username\n          tokenKind\n          tokenKey\n          ip\n          userAgent\n          requestId\n          operation\n          detail\n          count\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query SecurityEvents($filter: SecurityEventFilter, $first: Int, $after: String) {\n    securityEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          type\n          auth0Code\n          userId\n          actorId\n          username\n          tokenKind\n          tokenKey\n          ip\n          userAgent\n          requestId\n          operation\n          detail\n          count\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;