/**
 * The live events registry (src/realtime/live-events.ts) and the hub's dispatch, on a real database's
 * notifications: an event registered beside the products' is heard on its own channel, decoded and
 * published on its topic in the order sent; a payload its decode refuses loses that event only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { initOrm } from '../src/database/orm';
import { LiveHub } from '../src/realtime/hub';
import { createLivePubSub, liveEvent } from '../src/realtime/live-events';
import { liveEvents } from '../src/resources';
import { productChanged } from '../src/products/product-events';
import { createTestDatabase } from './utils';

const noteChanged = liveEvent<{ title: string }>({
  channel: 'test_note',
  topic: 'noteChanged',
  decode(payload) {
    const message = JSON.parse(payload) as { title?: unknown };
    if (typeof message.title !== 'string') throw new Error(`Unexpected note event: ${payload}`);
    // An empty title stands for a row gone before it could be read: nothing is published.
    return message.title ? { title: message.title } : undefined;
  },
});

describe('live events as a registry', () => {
  let orm: MikroORM;
  let url: string;
  beforeAll(async () => {
    url = await createTestDatabase();
    orm = await initOrm(url, { poolSize: 2 });
  });
  afterAll(() => orm.close());

  it('registers the products event in src/resources.ts, on the channel its trigger sends on', () => {
    expect(liveEvents).toContain(productChanged);
    expect(productChanged).toMatchObject({ channel: 'authtoken_product', topic: 'productChanged' });
  });

  it('dispatches each registered channel to its topic, in order, skipping what decode refuses or drops', async () => {
    const pubSub = createLivePubSub();
    const hub = new LiveHub(orm, url, pubSub, [...liveEvents, noteChanged]);
    await hub.start();
    try {
      const received: unknown[] = [];
      const iterator = pubSub.subscribe(noteChanged.topic)[Symbol.asyncIterator]();
      const collecting = (async () => {
        while (received.length < 2) received.push((await iterator.next()).value);
      })();
      const connection = orm.em.getConnection();
      for (const payload of ['{"title":"first"}', '{"title":42}', 'not json', '{"title":""}', '{"title":"second"}']) {
        await connection.execute(`select pg_notify('test_note', ?)`, [payload]);
      }
      await collecting;
      expect(received).toEqual([{ title: 'first' }, { title: 'second' }]);
      await iterator.return?.();
    } finally {
      await hub.stop();
    }
  });

  it('refuses two events on one channel', () => {
    expect(() => new LiveHub(orm, url, createLivePubSub(), [noteChanged, { ...noteChanged, topic: 'other' }])).toThrow('Two live events on one channel: test_note');
  });
});
