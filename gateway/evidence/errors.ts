// Every error the evidence component lets out, declared once with its code.
import { CodedError } from '../../common/coded-error.ts';

export const EvidenceErrors = {
  badBox: (detail: string) => new CodedError('EVIDENCE_BAD_BOX', `malformed MP4 box: ${detail}`, { detail }),
  noVideo: (cameraId: string, reason: string) =>
    new CodedError('EVIDENCE_NO_VIDEO', `no video to record from camera ${cameraId} (${reason})`, { cameraId, reason }),
  badId: (what: string, value: string) => new CodedError('EVIDENCE_BAD_ID', `${what} is not usable in a file name: ${value}`, { what, value }),
} as const;
