// Per-install secrets (ETSI EN 303 645 5.1: no universal default passwords). Generated at first
// start into the data directory with mode 0600, never in the site file, never logged.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SiteConfig } from './schema.ts';

const CameraCredentials = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(128) });

const SecretsSchema = z.strictObject({
  mqtt: z.strictObject({
    bridge: z.string().min(16),
    boxes: z.record(z.string(), z.string().min(16)),
  }),
  /**
   * Each camera's ONVIF/RTSP account, as set on the camera by the installer. The entry "*" is the
   * site-wide account for cameras found by discovery; without it they are reported, not adopted.
   */
  cameras: z.record(z.string(), CameraCredentials).default({}),
});
export type Secrets = z.infer<typeof SecretsSchema>;

export const BRIDGE_MQTT_USERNAME = 'bridge';

export function secretsFile(dataDir: string): string {
  return join(dataDir, 'secrets.json');
}

function newSecret(): string {
  return randomBytes(18).toString('base64url');
}

/** Loads the secrets, adding any the site file now needs (a new MQTT box gets its own password). */
export function ensureSecrets(dataDir: string, site: SiteConfig, opts: { generateCameraCredentials?: boolean } = {}): Secrets {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = secretsFile(dataDir);
  const current: Secrets = existsSync(file) ? loadSecrets(dataDir) : { mqtt: { bridge: newSecret(), boxes: {} }, cameras: {} };
  let changed = !existsSync(file);
  for (const box of site.alarmBoxes) {
    if (box.transport.kind === 'mqtt' && !current.mqtt.boxes[box.id]) {
      current.mqtt.boxes[box.id] = newSecret();
      changed = true;
    }
  }
  // Real cameras come with the accounts the installer set on them; only simulated ones get made here.
  if (opts.generateCameraCredentials) {
    for (const cam of [...site.cameras, { id: '*' }]) {
      if (!current.cameras[cam.id]) {
        current.cameras[cam.id] = { username: 'gateway', password: newSecret() };
        changed = true;
      }
    }
  }
  if (changed) {
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(current, null, 2), { mode: 0o600 });
    renameSync(tmp, file);
  }
  return current;
}

export function loadSecrets(dataDir: string): Secrets {
  const parsed = SecretsSchema.safeParse(JSON.parse(readFileSync(secretsFile(dataDir), 'utf8')));
  if (!parsed.success) throw new Error(`${secretsFile(dataDir)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
