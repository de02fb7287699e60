/**
 * MUTATION events: every mutation that succeeded while authenticated by a token, with its operation name and
 * the root fields that succeeded (`detail.fields`): the trail a leaked token leaves, one query away
 * (`securityEvents(filter: { tokenKey })`).
 *
 * Operation-level, not per resolver: the operation pipeline's step 6 (src/operations/pipeline.ts,
 * `recordOutcome`) calls it once per operation on both transports, after execution, with the result.
 * Queries, anonymous operations and mutations that failed in every field record nothing and cost no query.
 */
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
