// SOAP 1.2 faults the simulated camera can raise, declared once with their ONVIF subcodes and HTTP status.
import { CodedError } from '../../common/coded-error.ts';

export interface FaultSpec { code: 'env:Sender' | 'env:Receiver'; subcodes: string[]; status: number; reason: string }

export const FAULTS = {
  NOT_AUTHORIZED: { code: 'env:Sender', subcodes: ['ter:NotAuthorized'], status: 400, reason: 'Sender not authorized' },
  ACTION_NOT_SUPPORTED: { code: 'env:Receiver', subcodes: ['ter:ActionNotSupported'], status: 400, reason: 'Optional action not implemented' },
  BAD_XML: { code: 'env:Sender', subcodes: ['ter:WellFormed'], status: 400, reason: 'Malformed SOAP request' },
  INVALID_ARG: { code: 'env:Sender', subcodes: ['ter:InvalidArgVal'], status: 400, reason: 'Invalid argument' },
  NO_PROFILE: { code: 'env:Sender', subcodes: ['ter:InvalidArgVal', 'ter:NoProfile'], status: 400, reason: 'Unknown profile token' },
  NO_TOKEN: { code: 'env:Sender', subcodes: ['ter:InvalidArgVal', 'ter:NoToken'], status: 400, reason: 'Unknown token' },
  PRESET_REFUSED: { code: 'env:Receiver', subcodes: ['ter:Action', 'ter:GotoPresetFailed'], status: 500, reason: 'Preset move refused by the camera' },
  TOO_MANY_PRESETS: { code: 'env:Receiver', subcodes: ['ter:Action', 'ter:TooManyPresets'], status: 500, reason: 'Preset capacity reached' },
  NO_SUBSCRIPTION: { code: 'env:Sender', subcodes: ['ter:InvalidArgVal', 'wsrf-rw:ResourceUnknownFault'], status: 400, reason: 'Unknown or expired subscription' },
  TOO_MANY_SUBSCRIPTIONS: { code: 'env:Receiver', subcodes: ['ter:Action', 'ter:MaxSubscriptions'], status: 500, reason: 'Too many subscriptions' },
  INTERNAL: { code: 'env:Receiver', subcodes: ['ter:Action'], status: 500, reason: 'Internal camera error' },
  NO_PTZ: { code: 'env:Receiver', subcodes: ['ter:ActionNotSupported', 'ter:PTZNotSupported'], status: 400, reason: 'PTZ is not supported by this camera' },
} as const satisfies Record<string, FaultSpec>;

export type FaultName = keyof typeof FAULTS;

export class SoapFault extends CodedError {
  readonly spec: FaultSpec;
  constructor(name: FaultName, detail?: string) {
    const spec = FAULTS[name];
    super(`ONVIF_${name}`, detail ? `${spec.reason}: ${detail}` : spec.reason);
    this.spec = spec;
  }
}
