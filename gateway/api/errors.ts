// Every error the API can answer with, declared once: code, message, HTTP status.
// Codes from the domain, auth and the bridge map here; anything unknown is a 500 that logs.
import { CodedError } from '../../common/coded-error.ts';

interface ErrorSpec {
  status: number;
  message: string;
}

export const API_ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'the request is not valid' },
  BAD_REQUEST: { status: 400, message: 'the request could not be read' },
  UNAUTHORIZED: { status: 401, message: 'sign in first' },
  AUTH_INVALID: { status: 401, message: 'wrong username or password' },
  FORBIDDEN: { status: 403, message: 'your role may not do this' },
  ORIGIN_REFUSED: { status: 403, message: 'requests from this origin are not allowed' },
  NOT_FOUND: { status: 404, message: 'no such resource' },
  INCIDENT_NOT_FOUND: { status: 404, message: 'no such incident' },
  BOX_NOT_FOUND: { status: 404, message: 'no such alarm box' },
  USER_NOT_FOUND: { status: 404, message: 'no such user' },
  USER_EXISTS: { status: 409, message: 'that username is taken' },
  INCIDENT_BAD_TRANSITION: { status: 409, message: 'the incident is not in a state that allows this' },
  INCIDENT_BAD_INPUT: { status: 400, message: 'the request is not valid' },
  BOX_STILL_PRESSED: { status: 409, message: 'the button is still pressed: release it with the key first' },
  BOX_LATCHED: { status: 409, message: 'the box is in alarm: reset it before testing' },
  BODY_TOO_LARGE: { status: 413, message: 'the request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'send application/json' },
  AUTH_LOCKED: { status: 429, message: 'too many failed logins: try again later' },
  INTERNAL: { status: 500, message: 'internal error' },
  BRIDGE_FAILED: { status: 502, message: 'the firmware bridge could not carry out the command' },
  BRIDGE_UNAVAILABLE: { status: 503, message: 'the firmware bridge is not connected' },
  BRIDGE_TIMEOUT: { status: 504, message: 'the firmware bridge did not answer in time' },
  CAMERA_NOT_FOUND: { status: 404, message: 'no such camera' },
  ATTACHMENT_NOT_FOUND: { status: 404, message: 'no such attachment' },
  PTZ_UNSUPPORTED: { status: 409, message: 'this camera cannot pan, tilt or zoom' },
  CAMERA_OFFLINE: { status: 503, message: 'the camera is not reachable' },
  CAMERA_AUTH_FAILED: { status: 502, message: 'the camera refused our credentials' },
  CAMERA_TIMEOUT: { status: 504, message: 'the camera did not answer in time' },
  CAMERA_FAULT: { status: 502, message: 'the camera refused the request' },
} as const satisfies Record<string, ErrorSpec>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export interface ApiErrorBody {
  code: string;
  message: string;
  /** The offending field, for validation errors. */
  field?: string;
  retryAfterS?: number;
}

export function apiError(code: ApiErrorCode, message?: string, details: Record<string, unknown> = {}): CodedError {
  return new CodedError(code, message ?? API_ERRORS[code].message, details);
}

const isKnown = (code: string): code is ApiErrorCode => Object.hasOwn(API_ERRORS, code);

/** Framework errors (body parsing, size) by their FST_ code. */
const FASTIFY_CODES: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
};

export function toHttpError(err: unknown): { status: number; body: ApiErrorBody; internal: boolean } {
  if (err instanceof CodedError) {
    const body: ApiErrorBody = { code: err.code, message: err.message };
    if (typeof err.details.field === 'string') body.field = err.details.field;
    if (typeof err.details.retryAfterS === 'number') body.retryAfterS = err.details.retryAfterS;
    if (isKnown(err.code)) return { status: API_ERRORS[err.code].status, body, internal: err.code === 'INTERNAL' };
    // A code from the bridge we have not declared: pass it through as a failed command.
    if (err.details.bridge === true) return { status: API_ERRORS.BRIDGE_FAILED.status, body, internal: false };
    return { status: 500, body: { code: 'INTERNAL', message: API_ERRORS.INTERNAL.message }, internal: true };
  }
  const e = err as { code?: unknown; statusCode?: unknown };
  const mapped = typeof e.code === 'string' ? FASTIFY_CODES[e.code] : undefined;
  if (mapped) return { status: API_ERRORS[mapped].status, body: { code: mapped, message: API_ERRORS[mapped].message }, internal: false };
  // Malformed JSON and other client mistakes fastify reports with a 4xx.
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: 400, body: { code: 'BAD_REQUEST', message: API_ERRORS.BAD_REQUEST.message }, internal: false };
  }
  return { status: 500, body: { code: 'INTERNAL', message: API_ERRORS.INTERNAL.message }, internal: true };
}
