// A camera password never shows in ffmpeg's argv (readable by every local user in /proc): the
// stream reads its camera from a private ffconcat file that is gone once ffmpeg has read it.
// Real ffmpeg, the simulated camera with Digest auth, a password with a quote in it.
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CameraStream } from '../../../gateway/streams/camera-stream.ts';
import { CameraMedia } from '../../../simulators/camera/camera-media.ts';
import { until } from '../../support/until.ts';
import { pidsWithTag, PROFILES, recorder, testLogger } from './stream-tools.ts';

const PASSWORD = "gate's-Pa55 w0rd!";
const SOURCES = join(tmpdir(), `campus-gateway-${userInfo().uid}`, 'sources');

describe('camera credentials and the ffmpeg child', () => {
  const cam = new CameraMedia({ cameraName: 'cred-cam', username: 'viewer', password: PASSWORD, rtspPort: 0, idleStopMs: 2000, profiles: PROFILES });
  let stream: CameraStream | null = null;
  afterAll(async () => {
    await stream?.stop();
    await cam.stop();
  });

  it('plays with a password that needs quoting, and no argv or leftover file holds it', async () => {
    await cam.start();
    stream = new CameraStream({
      cameraId: 'cred-cam',
      source: async () => ({ uri: cam.rtspUrl('main'), username: 'viewer', password: PASSWORD }),
      logger: testLogger(),
      idleStopMs: 60_000,
    });
    const rec = recorder();
    stream.subscribe(rec.viewer);
    await until(() => rec.fragments().length >= 10, 20000, 'video through Digest auth');
    const pids = await pidsWithTag(stream.processTag);
    expect(pids.length).toBe(1);
    const argv = readFileSync(`/proc/${pids[0]}/cmdline`, 'utf8').split('\0');
    expect(argv.join(' ')).not.toContain('Pa55');
    expect(argv.join(' ')).not.toContain('rtsp://');
    // The listing was read and removed; nothing with the password stays on disk.
    // (Other tests' streams come and go in the same directory meanwhile.)
    const read = (f: string): string => {
      try {
        return readFileSync(join(SOURCES, f), 'utf8');
      } catch {
        return '';
      }
    };
    expect(readdirSync(SOURCES).map(read).filter((t) => t.includes('Pa55'))).toEqual([]);
  });
});
