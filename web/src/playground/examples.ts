/** The playground's example tabs: the operations a newcomer runs first, in the order they need them. */
import { authKeyword } from '../server-config';

export interface ExampleTab {
  query: string;
  variables?: string;
  headers?: string;
}

const register: ExampleTab = {
  query: `# Creates an account (and its token). Public: no header needed.
mutation Register($input: RegisterInput!) {
  register(input: $input) {
    id
    username
    email
  }
}
`,
  variables: JSON.stringify({ input: { username: 'alice', email: 'alice@example.com', password: 'correct horse battery' } }, null, 2),
};

const obtainAuthToken: ExampleTab = {
  query: `# Logs in: returns the key to send as
# "Authorization: ${authKeyword} <key>". Public.
mutation ObtainAuthToken($username: String!, $password: String!) {
  obtainAuthToken(username: $username, password: $password) {
    token
    userId
    email
  }
}
`,
  variables: JSON.stringify({ username: 'alice', password: 'correct horse battery' }, null, 2),
};

const me: ExampleTab = {
  query: `# Who the Authorization header (Headers, below) authenticates.
query Me {
  me {
    id
    username
    email
    isStaff
    dateJoined
    lastLogin
  }
}
`,
};

const products: ExampleTab = {
  query: `# A page of products, newest first. Needs the header.
query Products($limit: Int! = 20, $offset: Int! = 0) {
  products(limit: $limit, offset: $offset) {
    total
    items {
      id
      name
      price
      description
    }
  }
}
`,
  variables: JSON.stringify({ limit: 20, offset: 0 }, null, 2),
};

const productChanged: ExampleTab = {
  query: `# Live: every product created, updated or deleted from now on,
# over WebSocket. Needs the header. Add a product in the web app.
subscription ProductChanged {
  productChanged {
    kind
    product {
      id
      name
      price
    }
  }
}
`,
};

/**
 * With a key, every tab carries it, and `me` comes first so it runs as is. Without one, logging in comes
 * first; the public mutations need no header, so none is sent that could fail them.
 */
export function exampleTabs(authorization: string | null): ExampleTab[] {
  if (!authorization) return [register, obtainAuthToken, me, products, productChanged];
  const headers = headersJson(authorization);
  return [me, products, productChanged, register, obtainAuthToken].map((tab) => ({ ...tab, headers }));
}

export function headersJson(authorization: string): string {
  return JSON.stringify({ Authorization: authorization }, null, 2);
}
