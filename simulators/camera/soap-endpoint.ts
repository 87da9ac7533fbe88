// One HTTP request to the camera: bounded body, safe parse, authentication, dispatch, SOAP reply.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../common/logger.ts';
import type { DigestAuthority } from './http-digest.ts';
import { MAX_SOAP_BYTES, envelope, faultEnvelope, parseSoap } from './soap-envelope.ts';
import { SoapFault } from './soap-fault.ts';
import { extractUsernameToken, verifyUsernameToken, type NonceCache } from './ws-security.ts';
import { SNAPSHOT_PATH, type CameraContext } from './services/context.ts';
import { isServicePath, resolveHandler } from './services/index.ts';

/** Actions ONVIF lets anyone call (PRE_AUTH) in this camera. */
const PRE_AUTH = new Set(['GetSystemDateAndTime']);

export interface EndpointDeps {
  cam: CameraContext;
  creds: { username: string; password: string };
  digest: DigestAuthority;
  nonces: NonceCache;
  log: Logger;
  snapshot(profileToken: string): Promise<Buffer>;
  /** Extra latency before answering (the setSlow fault); resolves false if the camera stopped meanwhile. */
  delay(): Promise<boolean>;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > MAX_SOAP_BYTES) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_SOAP_BYTES) {
        req.removeAllListeners('data');
        req.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

function sendFault(res: ServerResponse, fault: SoapFault, headers: Record<string, string> = {}, status = fault.spec.status): void {
  send(res, status, faultEnvelope(fault), headers);
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function digestOk(deps: EndpointDeps, req: IncomingMessage): boolean | 'stale' | 'absent' {
  const header = req.headers.authorization;
  if (!header || !/^Digest\s/i.test(header)) return 'absent';
  const v = deps.digest.verify(header, req.method ?? 'GET', req.url ?? '/', deps.cam.realNowMs());
  if (v.ok) return true;
  return v.stale ? 'stale' : false;
}

function challenge(deps: EndpointDeps, stale: boolean): Record<string, string> {
  return { 'WWW-Authenticate': deps.digest.challenge(deps.cam.realNowMs(), stale) };
}

export async function handleRequest(deps: EndpointDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = pathOf(req);
  if (req.method === 'GET' && path.startsWith(SNAPSHOT_PATH)) return handleSnapshot(deps, req, res, path);
  if (req.method !== 'POST' || !isServicePath(path)) {
    send(res, 404, 'not found', { 'Content-Type': 'text/plain' });
    return;
  }
  let xml: string;
  try {
    xml = await readBody(req);
  } catch (err) {
    if (err instanceof BodyTooLarge) send(res, 413, 'request body too large', { 'Content-Type': 'text/plain', Connection: 'close' });
    else res.destroy();
    return;
  }
  if (!(await deps.delay())) return;
  let soap;
  try {
    soap = parseSoap(xml);
  } catch (err) {
    sendFault(res, err instanceof SoapFault ? err : new SoapFault('BAD_XML'));
    return;
  }
  const atNs = process.hrtime.bigint();
  const { service, handler } = resolveHandler(path, soap.actionNs, soap.action);
  deps.cam.emit('request', service, soap.action, atNs);

  if (!PRE_AUTH.has(soap.action)) {
    const digest = digestOk(deps, req);
    if (digest !== true) {
      const token = extractUsernameToken(soap.header);
      if (token) {
        const v = verifyUsernameToken(token, deps.creds, deps.cam.cameraNowMs(), deps.nonces);
        if (!v.ok) {
          deps.log.debug({ action: soap.action, reason: v.reason }, 'ws-security refused');
          deps.cam.emit('auth-failed', 'ws-security');
          sendFault(res, new SoapFault('NOT_AUTHORIZED', v.reason));
          return;
        }
      } else {
        deps.cam.emit('auth-failed', digest === 'absent' ? 'none' : 'digest');
        sendFault(res, new SoapFault('NOT_AUTHORIZED'), challenge(deps, digest === 'stale'), 401);
        return;
      }
    }
  }

  if (!handler) {
    sendFault(res, new SoapFault('ACTION_NOT_SUPPORTED', soap.action));
    return;
  }
  try {
    const body = await handler({ cam: deps.cam, req: soap, atNs, path });
    send(res, 200, envelope(body));
  } catch (err) {
    if (!(err instanceof SoapFault)) deps.log.warn({ err, action: soap.action }, 'handler failed');
    sendFault(res, err instanceof SoapFault ? err : new SoapFault('INTERNAL', (err as Error).message));
  }
}

async function handleSnapshot(deps: EndpointDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (!(await deps.delay())) return;
  const digest = digestOk(deps, req);
  if (digest !== true) {
    deps.cam.emit('auth-failed', digest === 'absent' ? 'none' : 'digest');
    send(res, 401, 'unauthorized', { 'Content-Type': 'text/plain', ...challenge(deps, digest === 'stale') });
    return;
  }
  const token = decodeURIComponent(path.slice(SNAPSHOT_PATH.length).replace(/\.jpe?g$/, ''));
  if (!deps.cam.profiles.some((p) => p.token === token)) {
    send(res, 404, 'no such profile', { 'Content-Type': 'text/plain' });
    return;
  }
  try {
    const jpeg = await deps.snapshot(token);
    send(res, 200, jpeg, { 'Content-Type': 'image/jpeg' });
  } catch (err) {
    deps.log.warn({ err }, 'snapshot failed');
    send(res, 503, 'snapshot unavailable', { 'Content-Type': 'text/plain' });
  }
}
