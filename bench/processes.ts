/**
 * The bench's processes under test, started as a user would (`node dist/src/server.js`) through the one
 * process harness, and their memory and CPU read from /proc.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { embeddedPassword, embeddedUrl } from '../src/database/embedded';
import { startNodeProcess } from '../test/server-process';

export interface Started {
  child: ChildProcess;
  baseUrl: string;
  /** The embedded PostgreSQL's port and data directory, from the server's start-up line. */
  embedded?: { port: number; dataDir: string };
  stop(): Promise<number | null>;
}

/**
 * Starts `node <args>` through the one process harness (test/server-process.ts), on the bench's own
 * environment plus `env`, and resolves once it prints its "ready at" line.
 */
export async function startProcess(args: string[], env: Record<string, string | undefined>, timeoutMs = 120_000): Promise<Started> {
  const started = startNodeProcess({ args, env: { ...process.env, ...env }, timeoutMs });
  const baseUrl = await started.ready;
  return { child: started.child, baseUrl, embedded: started.embedded(), stop: async () => (await started.kill()).code };
}

/** The postgres:// URL of the database an embedded server started, from the files in its data directory. */
export function embeddedDatabaseUrl(embedded: { port: number; dataDir: string }, database: string): string {
  return embeddedUrl(embedded.port, embeddedPassword(embedded.dataDir), database);
}

function children(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function rssKb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(status.match(/VmRSS:\s+(\d+) kB/)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function isNode(pid: number): boolean {
  try {
    return path.basename(fs.readlinkSync(`/proc/${pid}/exe`)).startsWith('node');
  } catch {
    return false;
  }
}

/**
 * Resident memory of a server in MB: the process and its Node children (cluster workers), summed. The
 * embedded PostgreSQL is a child too, but it is the database's memory, not the server's: left out.
 */
export function serverRss(pid: number): { totalMb: number; processes: { pid: number; mb: number }[] } {
  const pids = [pid, ...children(pid).filter(isNode)];
  const processes = pids.map((p) => ({ pid: p, mb: Math.round(rssKb(p) / 102.4) / 10 }));
  return { totalMb: Math.round(processes.reduce((sum, p) => sum + p.mb, 0) * 10) / 10, processes };
}

function cpuTicks(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the command name).
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/**
 * CPU time used so far by a server (the process and its Node children), in ms. On a shared, noisy machine
 * the CPU cost of a request is a steadier figure than requests per second.
 */
export function serverCpuMs(pid: number): number {
  const pids = [pid, ...children(pid).filter(isNode)];
  // USER_HZ is 100 on every Linux the bench targets.
  return pids.reduce((sum, p) => sum + cpuTicks(p), 0) * 10;
}

function descendants(pid: number): number[] {
  const direct = children(pid);
  return direct.flatMap((child) => [child, ...descendants(child)]);
}

/**
 * CPU time used so far by the embedded PostgreSQL a server started (every non-Node process below it), in ms;
 * 0 when the database is elsewhere (DATABASE_URL).
 */
export function databaseCpuMs(serverPid: number): number {
  return descendants(serverPid)
    .filter((pid) => !isNode(pid))
    .reduce((sum, pid) => sum + cpuTicks(pid), 0) * 10;
}
