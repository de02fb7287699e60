/**
 * Starts one PostgreSQL for the whole test run and migrates a template database that every test file
 * copies (CREATE DATABASE ... TEMPLATE, a fraction of a second). The server is the embedded one, in a
 * temporary directory without fsync, unless TEST_DATABASE_URL points at a server to use instead.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/database/embedded';
import { withDatabase } from '../src/database/database';
import { initOrm, migrate } from '../src/database/orm';

export const TEMPLATE_DATABASE = 'authtoken_test_template';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let tmp: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'authtoken-test-'));
    fs.chmodSync(tmp, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'postgres'), durable: false });
    adminUrl = embedded.url;
  }

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DATABASE}`);
  await admin.query(`create database ${TEMPLATE_DATABASE}`);
  const orm = await initOrm(withDatabase(adminUrl, TEMPLATE_DATABASE), { poolSize: 1 });
  await migrate(orm);
  await orm.close();

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', TEMPLATE_DATABASE);

  return async () => {
    if (process.env.TEST_DATABASE_URL) {
      // Leave a shared server tidy: drop what this run created.
      const { rows } = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname like 'authtoken_test_%'`,
      );
      for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
    }
    await admin.end();
    await embedded?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  };
}
