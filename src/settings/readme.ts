/**
 * The README's settings table, rendered from the declarations (src/settings/declarations.ts) so that a
 * variable, its default and its meaning are written once. `npm run settings:docs` rewrites the part of
 * README.md between the two markers below; test/settings-docs.test.ts fails when that part is stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths';
import type { Setting } from './declare';
import { GROUPS } from './declarations';

export const README = path.join(projectRoot, 'README.md');
export const START_MARKER = '<!-- settings:start: generated from src/settings/declarations.ts by `npm run settings:docs` -->';
export const END_MARKER = '<!-- settings:end -->';

export interface SettingRow {
  group: string;
  name: string;
  /** The README's default column. */
  default: string;
  description: string;
}

/** The plain default a user would write, or undefined when it depends on something or there is none. */
export function literalDefault(declaration: Setting<unknown>): string | undefined {
  return typeof declaration.default === 'string' && declaration.documentedDefault === undefined ? declaration.default : undefined;
}

export function settingRows(): SettingRow[] {
  return Object.values(GROUPS).flatMap((group) =>
    Object.values(group.settings as Record<string, Setting<unknown>>).map((declaration) => ({
      group: group.title,
      name: declaration.name,
      default: declaration.documentedDefault ?? `\`${literalDefault(declaration)}\``,
      description: declaration.description,
    })),
  );
}

/** One table per group, in declaration order. */
export function renderSettingsTables(rows: SettingRow[] = settingRows()): string {
  const groups = [...new Set(rows.map((row) => row.group))];
  return groups
    .map((group) =>
      [
        `**${group}**`,
        '',
        '| variable | default | meaning |',
        '|---|---|---|',
        ...rows.filter((row) => row.group === group).map((row) => `| \`${row.name}\` | ${row.default} | ${row.description} |`),
      ].join('\n'),
    )
    .join('\n\n');
}

/** The text between the markers, or undefined when the README has no such section. */
export function settingsSection(readme: string): string | undefined {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + START_MARKER.length, end).trim();
}

export function withSettingsSection(readme: string, tables: string = renderSettingsTables()): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`README.md has no "${START_MARKER}" ... "${END_MARKER}" section`);
  return `${readme.slice(0, start + START_MARKER.length)}\n${tables}\n${readme.slice(end)}`;
}

if (require.main === module) {
  const before = fs.readFileSync(README, 'utf8');
  const after = withSettingsSection(before);
  if (after !== before) fs.writeFileSync(README, after);
  console.log(after === before ? 'README.md settings table is up to date' : 'README.md settings table rewritten');
}
