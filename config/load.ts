// Reads a site file and checks it against the schema. Problems come back as
// "field.path: reason" lines so an installer can fix a file without reading code.
import { readFileSync, statSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { SiteConfig } from './schema.ts';

/** A site file larger than this is not a site file. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem(s)\n${problems.join('\n')}`);
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `${fieldPath([...issue.path, issue.keys[0] ?? ''])}: unknown field (${issue.keys.join(', ')})`;
    }
    return `${fieldPath(issue.path)}: ${issue.message}`;
  });
}

export function parseSiteConfig(text: string, file = '<site config>'): SiteConfig {
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) throw new ConfigError(file, [`(file): larger than ${MAX_CONFIG_BYTES} bytes`]);
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => `(yaml line ${e.linePos?.[0]?.line ?? '?'}): ${e.message.split('\n')[0]}`),
    );
  }
  const result = SiteConfig.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!result.success) throw new ConfigError(file, formatIssues(result.error.issues));
  return result.data;
}

export function loadSiteConfig(file: string): SiteConfig {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new ConfigError(file, ['(file): cannot be read']);
  }
  if (size > MAX_CONFIG_BYTES) throw new ConfigError(file, [`(file): larger than ${MAX_CONFIG_BYTES} bytes`]);
  return parseSiteConfig(readFileSync(file, 'utf8'), file);
}

/** For process entry points: a bad site file prints one line per problem and exits 1. */
export function loadSiteConfigOrExit(file: string): SiteConfig {
  try {
    return loadSiteConfig(file);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) process.stderr.write(`${file}: ${p}\n`);
      process.exit(1);
    }
    throw err;
  }
}
