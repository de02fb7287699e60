/**
 * bcrypt runs on libuv's thread pool, so hashing never runs on the event loop; but on a machine with fewer
 * cores than pool threads (4 by default), a login storm still takes the cores away from it: each read then
 * waits for a time slice behind the hashes. Running the pool's threads at a lower scheduling priority keeps
 * the event loop and PostgreSQL first in line, while the hashes still get every cycle nobody else wants.
 *
 * Linux lets a thread's nice value be set on its own (setpriority on a thread id). The pool's threads are
 * the ones that appear when the pool is first used, which `lowerThreadPoolPriority` does itself, so it must
 * run before anything else touches the pool. Elsewhere (no /proc), it does nothing.
 */
import fs from 'node:fs';
import os from 'node:os';

/** Nice 10: about a tenth of a normal thread's share of a busy core (the kernel's weights 110 vs 1024). */
export const POOL_NICE = 10;

function threadIds(): Set<string> {
  try {
    return new Set(fs.readdirSync('/proc/self/task'));
  } catch {
    return new Set();
  }
}

/** Starts the pool and lowers the priority of its threads; returns their thread ids (empty when unknown). */
export function lowerThreadPoolPriority(nice = POOL_NICE): number[] {
  const before = threadIds();
  if (before.size === 0) return [];
  // The first piece of pool work creates all of its threads, synchronously, inside this call.
  fs.stat(__filename, () => undefined);
  const pool = [...threadIds()].filter((tid) => !before.has(tid)).map(Number);
  const lowered: number[] = [];
  for (const tid of pool) {
    try {
      os.setPriority(tid, nice);
      lowered.push(tid);
    } catch {
      // Not permitted (a locked-down container): the server runs as before.
    }
  }
  return lowered;
}
