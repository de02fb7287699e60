/**
 * TRUSTED_DOCUMENTS, per operation (an OperationRule): is this operation's document one the app was built with?
 *
 * | mode      | a document outside the manifest                                                        |
 * |-----------|----------------------------------------------------------------------------------------|
 * | `off`     | runs (the default everywhere: scripts sending their own documents are not refused)     |
 * | `log`     | runs, counted in authtoken_untrusted_documents_total, one log line per distinct document|
 * | `enforce` | 400 `QUERY_NOT_IN_SAFELIST` `The operation body was not found in the persisted query safelist` |
 *
 * Exempt in every mode: staff (the playground, the admin), introspection-only documents while INTROSPECTION
 * is on (GraphiQL's schema fetch), and machine access tokens, whose scopes bound them (`isMachineToken`). Everything else (anonymous
 * callers, cookie sessions, DRF and login tokens) sends only trusted documents under `enforce`.
 *
 * What depends on the document alone (trusted? introspection only?) is planned once per distinct document;
 * the check per operation is a few field reads.
 */
import { Kind, print, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Authenticated } from '../authentication';
import { QueryNotInSafelist } from '../errors';
import { logger } from '../logger';
import { recordUntrustedDocument } from '../observe/metrics';
import type { TrustedDocumentsMode } from '../settings';
import type { Manifest } from './manifest';
import type { OperationRule } from '../operations/rule';
import { sha256 } from './manifest';

export interface TrustedDocumentPlan {
  trusted: boolean;
  /** Only __schema, __type and __typename at the root (fragments followed). */
  introspectionOnly: boolean;
  /** Names the document in the log line (never its text, which could carry literals). */
  hash: string;
  operationName: string | null;
}

/**
 * Whether the caller authenticated with a machine access token (issue 20): only an access token carries
 * `scopes` (DRF and login tokens, cookie sessions included, have null). Its scopes bound what it may do, and
 * a script sends its own documents, so it is exempt. A field read, not the lazily built token.
 */
export function isMachineToken(authenticated: Authenticated): boolean {
  return authenticated.scopes !== null;
}

const INTROSPECTION_FIELDS = new Set(['__schema', '__type', '__typename']);

function onlyIntrospection(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): boolean {
  return set.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) return INTROSPECTION_FIELDS.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return onlyIntrospection(selection.selectionSet, fragments, seen);
    if (seen.has(selection.name.value)) return true;
    seen.add(selection.name.value);
    const fragment = fragments.get(selection.name.value);
    return fragment ? onlyIntrospection(fragment.selectionSet, fragments, seen) : false;
  });
}

/** How many distinct untrusted documents are logged by name; beyond it only the metric counts them. */
const MAX_LOGGED = 10_000;

export function trustedDocumentsRule(manifest: Manifest, mode: TrustedDocumentsMode, introspection: boolean): OperationRule<TrustedDocumentPlan> {
  const logged = new Set<string>();
  return {
    name: 'trusted documents',
    plan({ document, operation }) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      const hash = sha256(print(document));
      return {
        trusted: manifest.trustsPrinted(hash),
        introspectionOnly: operation.operation === 'query' && onlyIntrospection(operation.selectionSet, fragments),
        hash,
        operationName: operation.name?.value ?? null,
      };
    },
    check(plan, { authenticated }) {
      if (mode === 'off' || plan.trusted) return undefined;
      if (plan.introspectionOnly && introspection) return undefined;
      if (authenticated && (authenticated.user.isStaff || isMachineToken(authenticated))) return undefined;
      if (mode === 'enforce') return new QueryNotInSafelist();
      recordUntrustedDocument();
      if (!logged.has(plan.hash) && logged.size < MAX_LOGGED) {
        logged.add(plan.hash);
        logger.info(`Untrusted document ran (TRUSTED_DOCUMENTS=log): sha256:${plan.hash}`, { operation: plan.operationName ?? 'anonymous' });
      }
      return undefined;
    },
  };
}
