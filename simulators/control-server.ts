// A Unix socket through which the simulator CLI drives a running demo's simulated hardware.
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { z } from 'zod';
import { onJsonLines, writeJsonLine } from '../common/ndjson.ts';
import type { SiteSimulators } from './site-simulators.ts';

export const SimCommand = z.discriminatedUnion('cmd', [
  z.strictObject({ cmd: z.literal('press'), box: z.string() }),
  z.strictObject({ cmd: z.literal('release'), box: z.string() }),
  z.strictObject({ cmd: z.literal('tamper'), box: z.string(), open: z.boolean() }),
  z.strictObject({ cmd: z.literal('fault'), box: z.string(), code: z.string().max(32), active: z.boolean() }),
  z.strictObject({ cmd: z.literal('heartbeats'), box: z.string(), on: z.boolean() }),
  z.strictObject({ cmd: z.literal('garbage'), line: z.string() }),
  z.strictObject({ cmd: z.literal('unplug'), line: z.string() }),
  z.strictObject({ cmd: z.literal('replug'), line: z.string() }),
  z.strictObject({ cmd: z.literal('status') }),
]);
export type SimCommand = z.infer<typeof SimCommand>;

export async function runSimCommand(sims: SiteSimulators, c: SimCommand): Promise<unknown> {
  switch (c.cmd) {
    case 'press':
      return { eventId: sims.box(c.box).press(c.box) };
    case 'release':
      return { eventId: sims.box(c.box).release(c.box) };
    case 'tamper':
      return { eventId: sims.box(c.box).tamper(c.box, c.open) };
    case 'fault':
      return { eventId: sims.box(c.box).fault(c.box, c.code, c.active) };
    case 'heartbeats':
      sims.box(c.box).setHeartbeats(c.box, c.on);
      return {};
    case 'garbage':
      sims.family(c.line).sendGarbage();
      return {};
    case 'unplug':
      await sims.family(c.line).unplug();
      return {};
    case 'replug':
      await sims.family(c.line).replug();
      return {};
    case 'status':
      return {
        lines: sims.families.map((f) => f.name),
        boxes: Object.fromEntries(sims.boxIds.map((id) => [id, sims.box(id).outputs(id)])),
      };
  }
}

export async function startControlServer(path: string, sims: SiteSimulators): Promise<Server> {
  if (existsSync(path)) unlinkSync(path);
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    onJsonLines(
      socket,
      4096,
      (value) => {
        const parsed = SimCommand.safeParse(value);
        if (!parsed.success) {
          writeJsonLine(socket, { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
          return;
        }
        runSimCommand(sims, parsed.data).then(
          (result) => writeJsonLine(socket, { ok: true, result }),
          (err: unknown) => writeJsonLine(socket, { ok: false, error: err instanceof Error ? err.message : String(err) }),
        );
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(path, () => res());
  });
  chmodSync(path, 0o600);
  return server;
}
