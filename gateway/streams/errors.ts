// Every error the live-video streams hand out, declared once with its code.
import { CodedError } from '../../common/coded-error.ts';

export const STREAM_ERRORS = {
  STREAM_BOX_TOO_LARGE: 'an MP4 box exceeds the size limit',
  STREAM_BOX_MALFORMED: 'malformed MP4 box',
  STREAM_CLOSED: 'the stream was stopped for good',
  STREAM_UNKNOWN_CAMERA: 'no such camera or profile',
  STREAM_SOURCE_UNAVAILABLE: 'the camera source could not be resolved',
} as const;

export type StreamErrorCode = keyof typeof STREAM_ERRORS;

export function streamError(code: StreamErrorCode, details: Record<string, unknown> = {}, message?: string): CodedError {
  return new CodedError(code, message ?? STREAM_ERRORS[code], details);
}
