// Shape checks for /api/health and /api/config replies.
import type { GatewayHealth, RunningConfig } from '../api-types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

export function parseHealth(v: unknown): GatewayHealth | null {
  if (!isObj(v)) return null;
  const { bridge, devices, cameras, process, journal, disk } = v;
  if (!isBool(v.ok) || !isStr(v.now) || !isStr(v.startedAt) || !isNum(v.uptimeS) || !isNum(v.openIncidents)) return null;
  if (!isObj(bridge) || !isBool(bridge.connected)) return null;
  if (!isObj(devices) || !isNum(devices.total) || !isNum(devices.online) || !isNum(devices.inAlarm)) return null;
  if (!isObj(cameras) || !isNum(cameras.total) || !isNum(cameras.online)) return null;
  if (!isObj(process) || !isNum(process.rssMiB) || !isNum(process.heapUsedMiB)) return null;
  if (!isObj(journal) || !isNum(journal.bytes)) return null;
  if (!isObj(disk) || !(disk.freeBytes === null || isNum(disk.freeBytes))) return null;
  return v as unknown as GatewayHealth;
}

export function parseRunningConfig(v: unknown): RunningConfig | null {
  if (!isObj(v) || !isStr(v.source) || !isStr(v.loadedAt) || !isObj(v.config)) return null;
  return { source: v.source, loadedAt: v.loadedAt, config: v.config };
}
