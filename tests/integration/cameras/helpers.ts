// Shared set-up for camera integration tests: simulated cameras on 127.0.0.1 and our adapters.
import { createRootLogger } from '../../../common/logger.ts';
import type { CameraConfig } from '../../../config/schema.ts';
import { SimulatedCamera, type SimulatedCameraOptions } from '../../../simulators/camera/simulated-camera.ts';
import { OnvifCamera, type CameraTiming } from '../../../gateway/cameras/onvif-camera.ts';

export const logger = createRootLogger('camera-test', process.env.LOG_LEVEL ?? 'silent');

export const FAST_TIMING: Partial<CameraTiming> = {
  probeIntervalMs: 300,
  probeTimeoutMs: 500,
  opTimeoutMs: 2000,
  connectTimeoutMs: 2000,
  backoffInitialMs: 200,
  backoffMaxMs: 1000,
  events: { pullTimeoutMs: 1000, graceMs: 1000, backoffInitialMs: 100, backoffMaxMs: 500, subscriptionTtlMs: 10000, requestTimeoutMs: 2000 },
};

export async function startSim(id: string, extra: Partial<SimulatedCameraOptions> = {}): Promise<SimulatedCamera> {
  const sim = new SimulatedCamera({ id, name: id, model: 'ptz', username: 'admin', password: 'secret-pass', logger, ...extra });
  await sim.start();
  return sim;
}

export function cameraConfig(id: string, port: number, path = '/onvif/device_service'): CameraConfig {
  return {
    id,
    name: { zh: id, en: id },
    kind: 'ptz',
    onvif: { host: '127.0.0.1', port, path },
    scan: { dwellMs: 10000, presets: [], stepMs: 5000, useCameraTour: true },
  };
}

export function portOf(sim: SimulatedCamera): number {
  return Number(new URL(sim.xaddr).port);
}

export function adapterFor(sim: SimulatedCamera, password = 'secret-pass', timing: Partial<CameraTiming> = FAST_TIMING, port = portOf(sim)): OnvifCamera {
  return new OnvifCamera({ config: cameraConfig(sim.uuid.slice(-12).replace(/[^a-z0-9]/g, 'x'), port), credentials: { username: 'admin', password }, logger, timing });
}

/**
 * A camera that only speaks HTTP Digest: a loopback proxy in front of the simulator that strips
 * WS-Security headers (as such cameras ignore them) and rewrites the simulator's port in answers.
 */
export async function digestOnlyFront(sim: SimulatedCamera): Promise<{ port: number; strippedTokens: () => number; close: () => Promise<void> }> {
  const { createServer, request } = await import('node:http');
  const simPort = portOf(sim);
  let stripped = 0;
  let port = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks).toString('utf8');
      if (/<wsse:Security[\s\S]*?<\/wsse:Security>/.test(body)) {
        stripped += 1;
        body = body.replace(/<wsse:Security[\s\S]*?<\/wsse:Security>/, '');
      }
      const headers = { ...req.headers, host: `127.0.0.1:${simPort}`, 'content-length': String(Buffer.byteLength(body)) };
      const up = request({ host: '127.0.0.1', port: simPort, path: req.url, method: req.method, headers }, (ur) => {
        const out: Buffer[] = [];
        ur.on('data', (c: Buffer) => out.push(c));
        ur.on('end', () => {
          const text = Buffer.concat(out).toString('utf8').replaceAll(`127.0.0.1:${simPort}`, `127.0.0.1:${port}`);
          const h = { ...ur.headers, 'content-length': String(Buffer.byteLength(text)) };
          res.writeHead(ur.statusCode ?? 502, h);
          res.end(text);
        });
      });
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    strippedTokens: () => stripped,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
