import { ChangeSetType, type EventSubscriber, type FlushEventArgs } from '@mikro-orm/core';
import { User } from '../users/user.entity';
import { newToken } from './token-store';

/**
 * DRF's `post_save` receiver ("create_auth_token"): every user created through the ORM gets a token.
 * It runs in onFlush so the token joins the user's unit of work and transaction: if the token cannot be
 * written, the user is rolled back too. (MikroORM forbids flushing inside lifecycle hooks, and an entity
 * persisted in afterCreate would wait for the next flush.) Native inserts fire no subscriber; users made
 * that way get a token on first login or from `manage ensure-tokens`.
 */
export class TokenSubscriber implements EventSubscriber {
  async onFlush({ em, uow }: FlushEventArgs): Promise<void> {
    for (const changeSet of uow.getChangeSets()) {
      if (changeSet.type !== ChangeSetType.CREATE || !(changeSet.entity instanceof User)) continue;
      const token = newToken(em, changeSet.entity);
      uow.computeChangeSet(token);
    }
  }
}
