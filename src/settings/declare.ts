/**
 * The shape of one setting's declaration, and how a group of them is read from the environment. The
 * declarations themselves are in src/settings/declarations.ts; the README table is rendered from them
 * (src/settings/readme.ts).
 */
import type { Parser } from './parsers';

export type Env = Record<string, string | undefined>;
export type NodeEnv = 'development' | 'production' | 'test';

/** What a default may depend on: only NODE_ENV and the raw environment (never another parsed setting). */
export interface DefaultContext {
  env: Env;
  nodeEnv: NodeEnv;
}

export interface Setting<T> {
  /** The environment variable. */
  name: string;
  /**
   * The value used when the variable is unset or blank, written as a user would set it and read by the same
   * parser (so a documented default cannot drift from the one in force). A function when it depends on
   * NODE_ENV or another variable; absent when an unset variable means "none" (`unset`).
   */
  default?: string | ((context: DefaultContext) => string | undefined);
  /** The README's default column when the default is not a plain value; a plain one is shown as written. */
  documentedDefault?: string;
  /** One line for the README table (Markdown). */
  description: string;
  parse: Parser<T>;
  /** The value when there is no default and the variable is not set. */
  unset?: T;
}

/** Declares a setting; the value type is what the parser returns, plus `unset`'s type for optional ones. */
export function setting<T, U = never>(declaration: Omit<Setting<T>, 'unset'> & { unset?: U }): Setting<T | U> {
  return declaration as Setting<T | U>;
}

/** A group of settings: a title and description for the README, and the declarations by property name. */
export interface Group<S extends Record<string, Setting<unknown>>> {
  title: string;
  settings: S;
}

export type ValueOf<S> = S extends Setting<infer T> ? T : never;
export type ValuesOf<G> = G extends Group<infer S> ? { [K in keyof S]: ValueOf<S[K]> } : never;

/** Whether a variable is set to something other than blanks. */
export function isSet(env: Env, name: string): boolean {
  return Boolean(env[name]?.trim());
}

export function read<T>(declaration: Setting<T>, context: DefaultContext): T {
  const written = context.env[declaration.name];
  const trimmed = written?.trim();
  if (trimmed) return declaration.parse({ value: trimmed, name: declaration.name, written });
  const fallback = typeof declaration.default === 'function' ? declaration.default(context) : declaration.default;
  if (fallback === undefined) return declaration.unset as T;
  return declaration.parse({ value: fallback, name: declaration.name, written: undefined });
}

export function readGroup<S extends Record<string, Setting<unknown>>>(group: Group<S>, context: DefaultContext): ValuesOf<Group<S>> {
  const values: Record<string, unknown> = {};
  for (const [key, declaration] of Object.entries(group.settings)) values[key] = read(declaration, context);
  return values as ValuesOf<Group<S>>;
}
