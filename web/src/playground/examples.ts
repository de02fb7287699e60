/** The playground's example tabs: the operations a newcomer runs first, in the order they need them. */
import { authKeyword } from '../server-config';
// The documents are .graphql files so that the web build adds them to the trusted-documents manifest beside
// the app's own (web/trusted-documents.mjs): with TRUSTED_DOCUMENTS=enforce a newcomer's first operations
// (register, obtainAuthToken) run before any staff key exists.
import registerDocument from './examples/Register.graphql?raw';
import obtainAuthTokenDocument from './examples/ObtainAuthToken.graphql?raw';
import meDocument from './examples/Me.graphql?raw';
import productsDocument from './examples/Products.graphql?raw';
import productChangedDocument from './examples/ProductChanged.graphql?raw';

/** The comments name this server's scheme; comments are not part of what the manifest trusts. */
function example(text: string): string {
  return text.replaceAll('{AUTH_KEYWORD}', authKeyword);
}

export interface ExampleTab {
  query: string;
  variables?: string;
  headers?: string;
}

const register: ExampleTab = {
  query: example(registerDocument),
  variables: JSON.stringify({ input: { username: 'alice', email: 'alice@example.com', password: 'correct horse battery' } }, null, 2),
};

const obtainAuthToken: ExampleTab = {
  query: example(obtainAuthTokenDocument),
  variables: JSON.stringify({ username: 'alice', password: 'correct horse battery' }, null, 2),
};

const me: ExampleTab = {
  query: example(meDocument),
};

const products: ExampleTab = {
  query: example(productsDocument),
  variables: JSON.stringify({ limit: 20, offset: 0 }, null, 2),
};

const productChanged: ExampleTab = {
  query: example(productChangedDocument),
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
