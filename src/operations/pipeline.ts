/**
 * The one way from a transport to execution. HTTP (src/operations/http.ts: an express middleware and one
 * Apollo plugin) and the WebSocket (src/realtime/websocket.ts, onSubscribe) are thin adapters over this; a
 * rule added here holds on both. In order:
 *
 *  1. `prepare(source)`, what depends on the text alone, remembered by its SHA-256 (the last 1,000 documents
 *     that passed, and the last 1,000 refused, so a replayed refusal costs a lookup too): MAX_TOKENS before
 *     parsing, parsing, the shape limits (MAX_ALIASES, MAX_DEPTH) on their own ahead of the ~25 rules of
 *     graphql-js's validation (a refusal then spares that walk), then graphql-js's validation with ours
 *     (INTROSPECTION), made total (validation.ts: a rule that throws is a refusal, not a 500 or a 4500).
 *  2. `operation(document, name, variables, transport)`, what depends on the operation chosen: a subscription
 *     over HTTP is refused, MAX_COST (priced once for an operation without variables), at most one
 *     password-checking field. Planned once per (document, operation): a repeated operation pays lookups.
 *  3. The transport authenticates the caller (over HTTP, the context; over a socket, again per operation).
 *  4. `admit(operation, caller)`: the rules about who may run it (src/operations/rule.ts), in order.
 *  5. `recordUse(operation, authenticated, em)`: a login token's use (lastUsed; with AUTO_REFRESH, a later
 *     expiry), when the token store says one is due and the operation asks for more than side-effect-free
 *     fields (`tokenInfo`, `__typename`): inspecting a token never refreshes it, as knox users ask.
 *  6. After execution, `recordOutcome(operation, context, result)`: a mutation that succeeded while
 *     authenticated by a token is a MUTATION event in the security log (src/security/mutation-trail.ts), the
 *     trail a leaked token leaves. Anything else records nothing and costs no query.
 *
 * Steps 1 and 2 depend only on the request, never on who sends it, so they run before authentication: a
 * refused document costs no token lookup.
 */
import { createHash } from 'node:crypto';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type OperationDefinitionNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Authenticated } from '../authentication';
import { recordTokenUse, type TokenUse } from '../authtoken/token-store';
import type { LoginToken } from '../authtoken/login-token.entity';
import { operationCost } from '../limits/cost';
import { countPasswordFields } from '../limits/password-fields';
import { LimitExceeded, withoutSyntaxPrefix } from '../limits/refusal';
import { structureRules } from '../limits/structure-limits';
import { exceedsTokens, tokenRefusal } from '../limits/token-limit';
import { DocumentCache } from './document-cache';
import type { Caller, OperationRule, Transport } from './rule';
import { validateDocument } from './validation';
import type { Context } from '../context';
import { recordMutation } from '../security/mutation-trail';
import { PermissionDenied } from '../errors';
import { tokenRefOf } from '../security/caller';
import type { ClientInfo } from '../security/client';
import { SecurityEventType } from '../security/event-types';
import { recordSecurityEvents } from '../security/security-log';

/** Distinct documents remembered, passed and refused each. */
const REMEMBERED = 1000;
/**
 * Texts longer than this are counted for MAX_TOKENS before they are hashed: counting stops one token past the
 * limit, while hashing reads the whole text (a 99 kB flood would pay it on every copy).
 */
const HASH_FIRST_BELOW = 8192;

const SUBSCRIPTIONS_OVER_WEBSOCKET =
  'Subscriptions are served over WebSocket at /graphql (the graphql-transport-ws protocol), not over HTTP.';

/** The refusal of a request before anything runs: HTTP 400, or `error` messages over a socket. */
export class Refusal {
  constructor(readonly errors: readonly GraphQLError[]) {}
}

/** An operation as planned once for its document: everything a request's checks read. */
export interface PreparedOperation {
  readonly node: OperationDefinitionNode;
  /** MAX_COST's price when the operation declares no variables (it always costs that), else undefined. */
  readonly fixedCost: number | undefined;
  readonly passwordFields: number;
  /** Asks for side-effect-free fields only: records no token use. */
  readonly onlyInspects: boolean;
  /** What each admission rule planned, in the rules' order. */
  readonly plans: readonly unknown[];
}

/** A document that passed step 1, with its operations planned on first use. */
export class PreparedDocument {
  /** By operation name ('' for none given); only operations the document has. */
  readonly operations = new Map<string, PreparedOperation>();

  constructor(
    readonly hash: string,
    readonly document: DocumentNode,
  ) {}
}

export interface PipelineLimits {
  maxTokens: number;
  maxAliases: number;
  maxDepth: number;
  maxCost: number;
}

export interface PipelineOptions {
  schema: GraphQLSchema;
  limits: PipelineLimits;
  /** Validation rules beyond graphql-js's own (INTROSPECTION=false's). */
  validationRules: readonly ValidationRule[];
  /** Who may run what (rule.ts), checked in this order. */
  rules: readonly OperationRule[];
}

// Fields that read the token without using it: an operation asking only these records no use.
const SIDE_EFFECT_FREE = new Set(['tokenInfo', '__typename']);

function onlyInspects(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && SIDE_EFFECT_FREE.has(selection.name.value));
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError,
    extensions: { ...error.extensions, code, http: { status: 400, headers: new Map() } },
  });
}

function documentHash(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

export class OperationPipeline {
  private readonly prepared = new DocumentCache<PreparedDocument>(REMEMBERED);
  private readonly refused = new DocumentCache<Refusal>(REMEMBERED);
  private readonly shapeRules: ValidationRule[];

  constructor(private readonly options: PipelineOptions) {
    this.shapeRules = structureRules(options.limits);
  }

  get schema(): GraphQLSchema {
    return this.options.schema;
  }

  /** Step 1: the document of `source`, or its refusal. */
  prepare(source: string): PreparedDocument | Refusal {
    const { maxTokens } = this.options.limits;
    if (source.length >= HASH_FIRST_BELOW && exceedsTokens(source, maxTokens)) return new Refusal([new LimitExceeded(tokenRefusal(maxTokens))]);
    const hash = documentHash(source);
    const known = this.prepared.get(hash) ?? this.refused.get(hash);
    if (known) return known;
    const result = this.compile(source, hash);
    if (result instanceof Refusal) this.refused.set(hash, result);
    else this.prepared.set(hash, result);
    return result;
  }

  /** A document step 1 passed, by its hash (Apollo's document store asks this way: src/operations/http.ts). */
  documentByHash(hash: string): DocumentNode | undefined {
    return this.prepared.peek(hash)?.document;
  }

  private compile(source: string, hash: string): PreparedDocument | Refusal {
    const { schema, limits, validationRules } = this.options;
    if (source.length < HASH_FIRST_BELOW && exceedsTokens(source, limits.maxTokens)) return new Refusal([new LimitExceeded(tokenRefusal(limits.maxTokens))]);
    let document: DocumentNode;
    try {
      document = parse(source);
    } catch (error) {
      return new Refusal([withCode(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')]);
    }
    // graphql-armor's rules walk without TypeInfo and cannot throw; a refusal here spares the full walk.
    const [shape] = validate(schema, document, this.shapeRules);
    if (shape) return new Refusal([new LimitExceeded(withoutSyntaxPrefix(shape.message))]);
    const errors = validateDocument(schema, document, validationRules);
    if (errors.length) return new Refusal(errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED')));
    return new PreparedDocument(hash, document);
  }

  /**
   * Step 2: the operation `name` chooses, planned once, checked against this request's variables; or its
   * refusal; or null when the document has no such operation (execution then answers graphql-js's message).
   */
  operation(prepared: PreparedDocument, name: string | null | undefined, variables: Record<string, unknown> | undefined, transport: Transport): PreparedOperation | Refusal | null {
    const operation = this.plan(prepared, name ?? '');
    if (!operation) return null;
    const { node } = operation;
    if (node.operation === 'subscription' && transport === 'http') {
      return new Refusal([withCode(new GraphQLError(SUBSCRIPTIONS_OVER_WEBSOCKET, { nodes: [node] }), 'GRAPHQL_VALIDATION_FAILED')]);
    }
    if (operation.passwordFields > 1) return new Refusal([new LimitExceeded('Only one password-checking field is allowed per operation.')]);
    const { maxCost } = this.options.limits;
    const cost = operation.fixedCost ?? operationCost(this.options.schema, prepared.document, variables ?? {}, name ?? undefined);
    if (cost !== undefined && cost > maxCost) return new Refusal([new LimitExceeded(`Query cost limit of ${maxCost} exceeded, found ${cost}.`)]);
    return operation;
  }

  private plan(prepared: PreparedDocument, name: string): PreparedOperation | undefined {
    const known = prepared.operations.get(name);
    if (known) return known;
    const { schema, rules } = this.options;
    const { document } = prepared;
    const node = getOperationAST(document, name || undefined);
    // Not remembered: the names a stranger may send are endless, the document's own operations are not.
    if (!node) return undefined;
    const fixed = !node.variableDefinitions?.length;
    const operation: PreparedOperation = {
      node,
      fixedCost: fixed ? operationCost(schema, document, {}, name || undefined) : undefined,
      passwordFields: countPasswordFields(schema, document, node),
      onlyInspects: onlyInspects(node),
      plans: rules.map((rule) => rule.plan({ schema, document, operation: node })),
    };
    prepared.operations.set(name, operation);
    return operation;
  }

  /** Step 4: the first rule's refusal, or undefined when every rule lets the caller run the operation. */
  admit(operation: PreparedOperation, caller: Caller): GraphQLError | undefined {
    const { rules } = this.options;
    for (let index = 0; index < rules.length; index++) {
      const refusal = rules[index].check(operation.plans[index], caller);
      if (refusal) return refusal;
    }
    return undefined;
  }

  /**
   * Step 4's 403s (a scope the token lacks, a field no access token may use) in the security log, as
   * PERMISSION_DENIED with the refusal's reason: one event per refused operation. Only on the refusal's path.
   */
  async recordRefusal(refusal: GraphQLError, authenticated: Authenticated | null, client: ClientInfo, em: EntityManager): Promise<void> {
    if (!(refusal instanceof PermissionDenied) || !authenticated) return;
    const { reason, requiredScopes } = refusal.extensions as { reason?: string; requiredScopes?: string[] };
    await recordSecurityEvents(em, { client, userId: authenticated.user.id, token: tokenRefOf(authenticated.token) }, [
      { type: SecurityEventType.PERMISSION_DENIED, detail: { reason, ...(requiredScopes ? { requiredScopes } : {}) } },
    ]);
  }

  /** Step 6: the security log's MUTATION event of an operation that ran (see src/security/mutation-trail.ts). */
  recordOutcome(operation: OperationDefinitionNode | null | undefined, context: Context, result: Parameters<typeof recordMutation>[2]): Promise<void> {
    return recordMutation(context, operation, result);
  }

  /** Step 5: records the token's use when one is due and the operation is more than an inspection. */
  async recordUse(operation: PreparedOperation, authenticated: Authenticated | null, em: EntityManager): Promise<TokenUse | null> {
    const use = authenticated?.use;
    if (!use || operation.onlyInspects) return null;
    await recordTokenUse(em, use);
    const token = authenticated.token as LoginToken;
    // The managed token shows what was written; its snapshot too, so that no flush writes it again.
    Object.assign(token, { lastUsed: use.lastUsed, expiry: use.expiry });
    em.getUnitOfWork().register(token, { ...token, user: token.user.id } as never);
    return use;
  }
}
