/**
 * MUTATION events: every mutation that succeeded while authenticated by a token, with its operation name and
 * the root fields that succeeded (`detail.fields`): the trail a leaked token leaves, one query away
 * (`securityEvents(filter: { tokenKey })`).
 *
 * Operation-level, not per resolver: `recordMutation` is called once per operation by each transport (the
 * Apollo plugin below for HTTP, src/realtime/websocket.ts's onNext for WebSocket), after execution, with the
 * result. Queries, anonymous operations and mutations that failed in every field record nothing; an
 * anonymous request gets no hook at all, and an authenticated query's hook returns without a query.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type GraphQLFormattedError, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Context } from '../context';
import { logger } from '../logger';
import { callerOf } from './caller';
import { SecurityEventType } from './event-types';
import { recordSecurityEvents } from './security-log';

/** Root fields (by name) whose response key has data and no error. Fragments spread at the root are not followed. */
function succeededFields(set: SelectionSetNode, data: Record<string, unknown>, failed: Set<string>, fields: string[] = []): string[] {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      if (data[key] !== undefined && data[key] !== null && !failed.has(key) && !fields.includes(selection.name.value)) fields.push(selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      succeededFields(selection.selectionSet, data, failed, fields);
    }
  }
  return fields;
}

export async function recordMutation(
  context: Context,
  operation: OperationDefinitionNode | null | undefined,
  result: { data?: Record<string, unknown> | null; errors?: readonly (GraphQLFormattedError | { path?: readonly (string | number)[] })[] },
): Promise<void> {
  if (operation?.operation !== 'mutation' || !context.user || !context.auth || !result.data) return;
  const failed = new Set((result.errors ?? []).map((error) => String(error.path?.[0] ?? '')));
  const fields = succeededFields(operation.selectionSet, result.data, failed);
  if (fields.length === 0) return;
  try {
    await recordSecurityEvents(context.em, callerOf(context), [{ type: SecurityEventType.MUTATION, detail: { fields } }]);
  } catch (error) {
    // The mutation has happened; its answer must not be lost to a failed log write.
    logger.error('Recording a MUTATION security event failed:', error);
  }
}

/** HTTP's call of recordMutation (the WebSocket transport calls it from onNext). */
export const mutationTrailPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart({ contextValue }) {
    if (!contextValue.user) return;
    return {
      async willSendResponse({ operation, response, contextValue }) {
        if (operation?.operation !== 'mutation' || response.body.kind !== 'single') return;
        await recordMutation(contextValue, operation, response.body.singleResult);
      },
    };
  },
};
