// The running site configuration, for administrators: what the gateway actually loaded (with the
// schema's defaults filled in), from which file and when. Secrets never leave: they live in the
// secrets file, which is not read here, and any key that names one is redacted all the same.
import type { FastifyInstance } from 'fastify';
import type { SiteConfig } from '../../../config/schema.ts';
import { redactSecrets } from '../redact.ts';
import { requirePermission } from '../plugins/session.ts';

export interface ConfigSource {
  /** The site file the gateway was started with (absolute path). */
  source: string;
  /** ISO 8601: when it was read. */
  loadedAt: string;
}

export function configRoutes(site: SiteConfig, from: ConfigSource) {
  const body = { source: from.source, loadedAt: from.loadedAt, config: redactSecrets(site) as Record<string, unknown> };
  return async (fastify: FastifyInstance): Promise<void> => {
    fastify.get('/api/config', async (req) => {
      requirePermission(req, 'config.view');
      return body;
    });
  };
}
