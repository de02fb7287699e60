/**
 * Trusted documents (TRUSTED_DOCUMENTS=off|log|enforce), wired into both transports until the operation
 * pipeline (src/operations/ on main) takes the rule over:
 * - `httpMiddleware`: ids to text before Apollo (resolve.ts);
 * - `plugin`: the rule (rule.ts) once Apollo has resolved the operation, planned once per operation node
 *   (Apollo keeps one parsed document per distinct query text); none when the mode is `off`;
 * - `resolveSubscribe` and `checkSocketOperation`: the same two steps in the WebSocket's subscribe path.
 * The manifest is loaded once, at start, and its size logged.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { Authenticated } from '../authentication';
import { authenticatedOf, type Context } from '../context';
import { logger } from '../logger';
import type { Settings } from '../settings';
import { loadManifest, type Manifest } from './manifest';
import { documentIdMiddleware, resolveDocumentId } from './resolve';
import { trustedDocumentsRule, type TrustedDocumentPlan } from './rule';

export interface TrustedDocuments {
  manifest: Manifest;
  httpMiddleware: RequestHandler;
  plugin: ApolloServerPlugin<Context> | null;
  /** The text a subscribe payload names by id, or its own query. Throws the refusals of resolve.ts. */
  resolveSubscribe(payload: { query: string; documentId?: unknown; extensions?: unknown }): string;
  checkSocketOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, authenticated: Authenticated | null, ip: string): GraphQLError | undefined;
}

export function trustedDocuments(settings: Pick<Settings, 'trustedDocuments' | 'introspection'>, manifestFile?: string): TrustedDocuments {
  const mode = settings.trustedDocuments;
  const manifest = loadManifest(mode, manifestFile);
  if (mode !== 'off') logger.info(`Trusted documents (TRUSTED_DOCUMENTS=${mode}): ${manifest.size} documents in the manifest`);
  const rule = trustedDocumentsRule(manifest, settings);
  const plans = new WeakMap<OperationDefinitionNode, TrustedDocumentPlan>();
  const planOf = (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) => {
    let plan = plans.get(operation);
    if (!plan) plans.set(operation, (plan = rule.plan({ schema, document, operation })));
    return plan;
  };
  return {
    manifest,
    httpMiddleware: documentIdMiddleware(manifest, mode),
    plugin:
      mode === 'off'
        ? null
        : {
            async requestDidStart() {
              return {
                async didResolveOperation({ schema, document, operation, contextValue }) {
                  if (!operation) return;
                  const refusal = rule.check(planOf(schema, document, operation), { authenticated: authenticatedOf(contextValue), ip: contextValue.ip, transport: 'http' });
                  if (refusal) throw refusal;
                },
              };
            },
          },
    resolveSubscribe(payload) {
      return resolveDocumentId(payload, manifest, mode) ?? payload.query;
    },
    checkSocketOperation(schema, document, operation, authenticated, ip) {
      return mode === 'off' ? undefined : rule.check(planOf(schema, document, operation), { authenticated, ip, transport: 'ws' });
    },
  };
}
