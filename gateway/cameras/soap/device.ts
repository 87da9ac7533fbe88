// Device service bodies and their answers that we parse ourselves (the clock, for auth).
import { NS } from './envelope.ts';
import { at, child, text, type XmlNode, soapBody } from './xml.ts';

export const GET_SYSTEM_DATE_AND_TIME = {
  action: `${NS.device}/GetSystemDateAndTime`,
  body: `<GetSystemDateAndTime xmlns="${NS.device}"/>`,
};

export const GET_DEVICE_INFORMATION = {
  action: `${NS.device}/GetDeviceInformation`,
  body: `<GetDeviceInformation xmlns="${NS.device}"/>`,
};

export interface DeviceInformation {
  manufacturer: string;
  model: string;
  firmwareVersion: string;
  serialNumber: string;
  hardwareId: string;
}

export function parseDeviceInformation(doc: XmlNode): DeviceInformation {
  const r = child(soapBody(doc), 'GetDeviceInformationResponse');
  const f = (n: string) => (text(child(r, n)) ?? '').slice(0, 128);
  return { manufacturer: f('Manufacturer'), model: f('Model'), firmwareVersion: f('FirmwareVersion'), serialNumber: f('SerialNumber'), hardwareId: f('HardwareId') };
}

/** The camera's UTC time in ms, or null when the answer has no usable UTCDateTime. */
export function parseSystemDateAndTime(doc: XmlNode): number | null {
  const sdt = at(soapBody(doc), 'GetSystemDateAndTimeResponse', 'SystemDateAndTime');
  const utc = child(sdt, 'UTCDateTime');
  if (utc === undefined) return null;
  const n = (p: string[]) => Number(text(at(utc, ...p)));
  const [y, mo, d, hh, mm, ss] = [n(['Date', 'Year']), n(['Date', 'Month']), n(['Date', 'Day']), n(['Time', 'Hour']), n(['Time', 'Minute']), n(['Time', 'Second'])];
  if (![y, mo, d, hh, mm, ss].every((v) => Number.isInteger(v))) return null;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60) return null;
  const ms = Date.UTC(y, mo - 1, d, hh, mm, ss);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * Camera clock minus our clock, in ms. The camera's answer is taken to be the time at the middle
 * of the round trip; its seconds resolution dominates the error (±0.5 s), which is far inside
 * what cameras tolerate for a UsernameToken's Created.
 */
export function clockOffset(cameraMs: number, sentAtMs: number, receivedAtMs: number): number {
  return Math.round(cameraMs + 500 - (sentAtMs + receivedAtMs) / 2);
}
