// Cross-site checks. A browser always sends Origin on WebSocket upgrades and on cross-site
// POSTs; when present it must be our own origin or one the site file allows.
import type { FastifyRequest } from 'fastify';

export function originAllowed(req: FastifyRequest, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  const host = req.headers.host;
  return host !== undefined && origin === `http://${host}`;
}
