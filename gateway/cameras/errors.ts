// Every error a camera adapter hands out, declared once.
import { CodedError } from '../../common/coded-error.ts';

export const CameraErrors = {
  CAMERA_OFFLINE: 'the camera cannot be reached',
  CAMERA_AUTH_FAILED: 'the camera refused our credentials',
  CAMERA_TIMEOUT: 'the camera did not answer in time',
  CAMERA_FAULT: 'the camera answered with an error',
  PTZ_UNSUPPORTED: 'the camera has no such PTZ feature',
  CAMERA_STOPPED: 'the camera adapter is stopped',
} as const;

export type CameraErrorCode = keyof typeof CameraErrors;

export function cameraError(code: CameraErrorCode, detail?: string, details: Record<string, unknown> = {}): CodedError {
  return new CodedError(code, detail ? `${CameraErrors[code]}: ${detail}` : CameraErrors[code], details);
}

export function isCameraError(err: unknown, code: CameraErrorCode): boolean {
  return err instanceof CodedError && err.code === code;
}

const OFFLINE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/** Maps a socket or onvif-package error to our codes. */
export function toCameraError(err: unknown): CodedError {
  if (err instanceof CodedError) return err;
  const e = err as { code?: unknown; message?: unknown };
  const msg = typeof e?.message === 'string' ? e.message : String(err);
  if (typeof e?.code === 'string' && OFFLINE_CODES.has(e.code)) return cameraError('CAMERA_OFFLINE', e.code);
  if (/timeout|ETIMEDOUT/i.test(msg)) return cameraError('CAMERA_TIMEOUT', msg.slice(0, 200));
  if (/socket hang up|ECONNRESET|ECONNREFUSED/i.test(msg)) return cameraError('CAMERA_OFFLINE', msg.slice(0, 200));
  if (/Digest authentication failed|NotAuthorized|not authorized|Unauthorized|FailedAuthentication/i.test(msg)) return cameraError('CAMERA_AUTH_FAILED', msg.slice(0, 200));
  return cameraError('CAMERA_FAULT', msg.slice(0, 200));
}
