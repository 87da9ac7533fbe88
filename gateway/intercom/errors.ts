// Every error the intercom's talk-back path hands out, declared once.
import { CodedError } from '../../common/coded-error.ts';

export const IntercomErrors = {
  INTERCOM_UNSUPPORTED: 'the camera has no ONVIF audio backchannel we can use (G.711 µ-law)',
  INTERCOM_AUTH_FAILED: 'the camera refused our credentials',
  INTERCOM_UNREACHABLE: 'the camera cannot be reached',
  INTERCOM_TIMEOUT: 'the camera did not answer in time',
  INTERCOM_PROTOCOL: 'the camera answered with something we cannot use',
  INTERCOM_CLOSED: 'the talk session is closed',
  INTERCOM_BAD_INPUT: 'the audio sent to the intercom is not acceptable',
} as const;

export type IntercomErrorCode = keyof typeof IntercomErrors;

export function intercomError(code: IntercomErrorCode, detail?: string, details: Record<string, unknown> = {}): CodedError {
  return new CodedError(code, detail ? `${IntercomErrors[code]}: ${detail}` : IntercomErrors[code], details);
}
