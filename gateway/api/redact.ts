// Removes secrets from anything about to be shown: every value under a key that names a secret
// (password, secret, token, credential, key, in any case and any depth) becomes "[redacted]".
// Pure. Applied to the running site configuration before GET /api/config sends it.

export const REDACTED = '[redacted]';
export const SECRET_KEY = /pass|secret|token|credential|key/i;

export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : redactSecrets(v);
    return out;
  }
  return value;
}
