// The onvif package's Cam behind promises with our own deadline. We hand on the raw SOAP answer
// and parse it with soap/*.ts: the package's parsed objects are loosely typed and vary by camera.
// Auth mode and clock offset come from our SoapTransport, which negotiated them.
import type http from 'node:http';
import { Cam } from 'onvif';
import { cameraError, toCameraError } from './errors.ts';
import type { SoapTransport } from './soap-transport.ts';
import { parseXml, type XmlNode } from './soap/xml.ts';

type Callback = (err: Error | null, data?: unknown, xml?: string) => void;

export class CamClient {
  readonly cam: Cam;

  constructor(
    host: string,
    port: number,
    path: string,
    credentials: { username: string; password: string },
    agent: http.Agent,
    private readonly transport: SoapTransport,
  ) {
    this.cam = new Cam({ hostname: host, port, path, username: credentials.username, password: credentials.password, autoconnect: false, agent, timeout: 10000 });
    // The package emits 'error'/'warning' on some paths; unhandled 'error' would throw.
    this.cam.on('error', () => undefined);
    this.cam.on('warning', () => undefined);
  }

  /** Service URL the camera announced (GetServices/GetCapabilities), by onvif's key: media, ptz, events, deviceIO. */
  serviceUrl(key: string): string | undefined {
    const uri = (this.cam.uri as Record<string, { href?: string } | undefined> | undefined)?.[key];
    return typeof uri?.href === 'string' ? uri.href : undefined;
  }

  get media2(): boolean {
    return this.cam.media2Support === true;
  }

  /** Runs one Cam method; resolves with the parsed raw answer. */
  run(timeoutMs: number, invoke: (cam: Cam, cb: Callback) => void): Promise<XmlNode> {
    this.cam.useWSSecurity = this.transport.authMode === 'wsse';
    // Cam stamps UsernameTokens with process.uptime()*1000 + timeShift.
    this.cam.timeShift = Date.now() + this.transport.clockOffsetMs - process.uptime() * 1000;
    this.cam.timeout = timeoutMs;
    return new Promise<XmlNode>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(cameraError('CAMERA_TIMEOUT', `no answer within ${timeoutMs} ms`));
      }, timeoutMs + 50);
      const cb: Callback = (err, _data, xml) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) return reject(toCameraError(err));
        try {
          resolve(parseXml(xml ?? ''));
        } catch (e) {
          reject(cameraError('CAMERA_FAULT', (e as Error).message));
        }
      };
      try {
        invoke(this.cam, cb);
      } catch (e) {
        cb(e as Error);
      }
    });
  }
}
