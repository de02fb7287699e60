/**
 * The README's settings tables are generated from the declarations (src/settings/declarations.ts); these
 * tests fail when a setting is added, removed or changed without `npm run settings:docs`, and when a table
 * in docs/ states a default other than the one in force.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/paths';
import { loadSettings } from '../src/settings';
import type { Setting } from '../src/settings/declare';
import { GROUPS } from '../src/settings/declarations';
import { literalDefault, README, renderSettingsTables, settingRows, settingsSection } from '../src/settings/readme';

const declarations = Object.values(GROUPS).flatMap((group) => Object.values(group.settings as Record<string, Setting<unknown>>));
const readme = fs.readFileSync(README, 'utf8');

/** `| \`NAME\` | cell | cell ... |` rows of Markdown tables, by variable name. */
function tableRows(markdown: string): { name: string; cells: string[]; header: string[] }[] {
  const rows: { name: string; cells: string[]; header: string[] }[] = [];
  let header: string[] = [];
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      header = [];
      continue;
    }
    const cells = line.slice(1, -1).split(' | ').map((cell) => cell.trim());
    if (header.length === 0) header = cells;
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0])?.[1];
    if (name) rows.push({ name, cells: cells.slice(1), header });
  }
  return rows;
}

describe('the settings declarations', () => {
  it('name each environment variable once', () => {
    const names = declarations.map((declaration) => declaration.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('give each setting a one-line description and a default or a documented one', () => {
    for (const declaration of declarations) {
      expect(declaration.description.trim(), declaration.name).not.toBe('');
      expect(declaration.description, declaration.name).not.toMatch(/\n|\|/);
      expect(declaration.default !== undefined || declaration.documentedDefault !== undefined, declaration.name).toBe(true);
      if (typeof declaration.default === 'function') expect(declaration.documentedDefault, `${declaration.name} depends on others: say how`).toBeDefined();
    }
  });

  it('read each literal default as the value in force when the variable is unset', () => {
    const unset = loadSettings({});
    for (const [key, group] of Object.entries(GROUPS)) {
      for (const [field, declaration] of Object.entries(group.settings as Record<string, Setting<unknown>>)) {
        const written = literalDefault(declaration);
        if (written === undefined || written === '') continue;
        const given = loadSettings({ [declaration.name]: written }) as unknown as Record<string, Record<string, unknown>>;
        expect(given[key][field], declaration.name).toEqual((unset as unknown as Record<string, Record<string, unknown>>)[key][field]);
      }
    }
  });
});

describe("the README's settings table", () => {
  const section = settingsSection(readme);
  const rows = tableRows(section ?? '');

  it('is the one generated from the declarations (run `npm run settings:docs` after changing a setting)', () => {
    expect(section).toBeDefined();
    expect(section).toBe(renderSettingsTables());
  });

  it('has a row for every setting, with its default and description', () => {
    for (const expected of settingRows()) {
      const found = rows.filter((row) => row.name === expected.name);
      expect(found, `README row for ${expected.name}`).toHaveLength(1);
      expect(found[0].cells, expected.name).toEqual([expected.default, expected.description]);
    }
  });

  it('has no row for a variable that is not declared', () => {
    const declared = new Set(declarations.map((declaration) => declaration.name));
    expect(rows.map((row) => row.name).filter((name) => !declared.has(name))).toEqual([]);
  });
});

describe('the settings tables in docs/', () => {
  const docs = fs.readdirSync(path.join(projectRoot, 'docs')).filter((file) => file.endsWith('.md'));

  it('state the default in force wherever they give a default column', () => {
    const byName = new Map(declarations.map((declaration) => [declaration.name, declaration]));
    let checked = 0;
    for (const file of docs) {
      for (const row of tableRows(fs.readFileSync(path.join(projectRoot, 'docs', file), 'utf8'))) {
        const column = row.header.indexOf('default') - 1;
        const declaration = byName.get(row.name);
        const written = declaration && literalDefault(declaration);
        if (column < 0 || written === undefined) continue;
        const stated = /`([^`]*)`/.exec(row.cells[column])?.[1] ?? (row.cells[column].startsWith('empty') ? '' : undefined);
        expect(stated, `${file}: ${row.name}'s default`).toBe(written);
        checked += 1;
      }
    }
    // The tables in django.md, limits.md, login-tokens.md and subscriptions.md.
    expect(checked).toBeGreaterThanOrEqual(15);
  });
});
