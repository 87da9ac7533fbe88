// Every error the simulated camera's media side raises, declared once with its code.
import { CodedError } from '../../../common/coded-error.ts';

export const CAMERA_MEDIA_ERRORS = {
  CAMERA_MEDIA_CONFIG: 'camera media options are invalid',
  CAMERA_MEDIA_NOT_STARTED: 'camera media is not started',
  CAMERA_MEDIA_UNKNOWN_PROFILE: 'no such media profile',
  CAMERA_MEDIA_ENCODER_FAILED: 'the ffmpeg encoder exited or never produced a stream',
  CAMERA_MEDIA_ENCODER_TIMEOUT: 'the ffmpeg encoder did not produce stream parameters in time',
  CAMERA_MEDIA_SNAPSHOT_FAILED: 'the snapshot ffmpeg failed',
  CAMERA_MEDIA_SNAPSHOT_TIMEOUT: 'the snapshot ffmpeg did not finish in time',
  CAMERA_MEDIA_STOPPED: 'camera media was stopped',
  RTSP_MESSAGE_TOO_LARGE: 'RTSP message exceeds the size limit',
  RTSP_MALFORMED: 'malformed RTSP message',
} as const;

export type CameraMediaErrorCode = keyof typeof CAMERA_MEDIA_ERRORS;

export function cameraMediaError(code: CameraMediaErrorCode, details: Record<string, unknown> = {}, message?: string): CodedError {
  return new CodedError(code, message ?? CAMERA_MEDIA_ERRORS[code], details);
}
