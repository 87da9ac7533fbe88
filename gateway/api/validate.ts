// Checks what enters at the boundary with zod; a failure names the field so a client can fix it.
import type { z } from 'zod';
import { apiError } from './errors.ts';

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'params' | 'query'): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue ? [...issue.path, ...(issue.code === 'unrecognized_keys' ? [issue.keys[0] ?? ''] : [])].map(String).join('.') : '';
  const field = path || where;
  throw apiError('VALIDATION_FAILED', `${where}${path ? `.${path}` : ''}: ${issue?.message ?? 'invalid'}`, { field });
}
