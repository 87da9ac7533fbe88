// The ops page's calls: gateway health, the running configuration, and box tests.
import type { GatewayHealth, RunningConfig } from '../api-types.ts';
import { expect, request, type ApiError } from '../api.ts';
import { errorText } from '../i18n.ts';
import { parseHealth, parseRunningConfig } from './ops-parse.ts';

export async function gatewayHealth(): Promise<GatewayHealth> {
  return expect(await request('GET', '/api/health'), parseHealth);
}

export async function runningConfig(): Promise<RunningConfig> {
  return expect(await request('GET', '/api/config'), parseRunningConfig);
}

/** Strobe and siren on for a moment, and a test window of durationMs for the box's button. */
export async function startBoxTest(boxId: string, durationMs: number): Promise<void> {
  await request('POST', `/api/boxes/${encodeURIComponent(boxId)}/test`, { durationMs });
}

/** An error in the user's language, followed by the gateway's own words when they add something. */
export function describeError(e: ApiError, own?: Partial<Record<string, string>>): string {
  const base = own?.[e.code] ?? errorText(e);
  return e.message && e.message !== base && e.status !== 0 ? `${base} — ${e.message}` : base;
}
