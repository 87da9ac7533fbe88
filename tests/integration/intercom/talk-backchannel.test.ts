// Talk-back to a simulated camera's speaker through the ONVIF RTSP backchannel, end to end on
// loopback: our client against the camera simulator's RTSP server (and ffprobe for its audio).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRootLogger } from '../../../common/logger.ts';
import { startTalk } from '../../../gateway/intercom/talk-session.ts';
import { CameraMedia } from '../../../simulators/camera/camera-media.ts';
import { until } from '../../support/until.ts';
import { dominantFrequency, rms, tone } from './audio-tools.ts';

const run = promisify(execFile);
const USER = 'operator';
const PASS = 'talk-back-pass';
const logger = createRootLogger('intercom-test', 'silent');
const PROFILE = { token: 'main', width: 320, height: 180, fps: 10, keyframeIntervalS: 1 };

let cam: CameraMedia;
let mute: CameraMedia;

beforeAll(async () => {
  cam = new CameraMedia({ cameraName: 'talk-cam', username: USER, password: PASS, backchannel: true, idleStopMs: 2000, profiles: [PROFILE] });
  mute = new CameraMedia({ cameraName: 'mute-cam', username: USER, password: PASS, idleStopMs: 2000, profiles: [PROFILE] });
  await Promise.all([cam.start(), mute.start()]);
});

afterAll(async () => {
  await Promise.all([cam?.stop(), mute?.stop()]);
});

describe('talk-back through the ONVIF backchannel', () => {
  it('plays one second of a 440 Hz tone (pushed at 16 kHz) on the camera speaker, then tears down', async () => {
    cam.clearBackchannel();
    const talk = await startTalk({ rtspUri: cam.rtspUrl('main'), username: USER, password: PASS, logger });
    await until(() => cam.backchannelSessions() === 1, 5000, 'backchannel session playing');
    // Pushed in 40 ms chunks as a browser would, but all at once: the client paces it out.
    const pcm = tone(440, 16000, 1);
    for (let at = 0; at < pcm.length; at += 640) talk.push(pcm.subarray(at, at + 640), 16000);
    await cam.waitForBackchannelAudio(0.8, 10000);
    await talk.close();
    await until(() => cam.backchannelSessions() === 0, 5000, 'backchannel session ended');
    const rec = cam.backchannelRecording();
    expect(rec.sampleRate).toBe(8000);
    expect(rec.pcm.length).toBeGreaterThanOrEqual(0.8 * 8000);
    expect(rec.packets).toBeGreaterThanOrEqual(40);
    expect(rec.lastAt).not.toBeNull();
    expect(dominantFrequency(rec.pcm, 8000)).toBe(440);
    expect(rms(rec.pcm)).toBeGreaterThan(0.2 * 32768);
  });

  it('refuses a wrong password with INTERCOM_AUTH_FAILED', async () => {
    await expect(startTalk({ rtspUri: cam.rtspUrl('main'), username: USER, password: 'not-the-password', logger })).rejects.toMatchObject({ code: 'INTERCOM_AUTH_FAILED' });
    expect(cam.backchannelSessions()).toBe(0);
  });

  it('reports INTERCOM_UNSUPPORTED for a camera that answers 551 to the backchannel', async () => {
    await expect(startTalk({ rtspUri: mute.rtspUrl('main'), username: USER, password: PASS, logger })).rejects.toMatchObject({ code: 'INTERCOM_UNSUPPORTED' });
  });

  it('reports INTERCOM_UNREACHABLE when nothing listens', async () => {
    await expect(startTalk({ rtspUri: 'rtsp://127.0.0.1:1/main', username: USER, password: PASS, logger })).rejects.toMatchObject({ code: 'INTERCOM_UNREACHABLE' });
  });

  it('ends the camera session when the gateway closes without having talked', async () => {
    const talk = await startTalk({ rtspUri: cam.rtspUrl('main'), username: USER, password: PASS, logger });
    await until(() => cam.backchannelSessions() === 1, 5000, 'backchannel session playing');
    await talk.close();
    expect(await talk.ended()).toBeNull();
    await until(() => cam.backchannelSessions() === 0, 5000, 'backchannel session ended');
  });
});

describe('the simulated camera stream toward the centre', () => {
  it('carries H.264 video and PCMU 8 kHz audio that ffprobe reads', async () => {
    const url = cam.rtspUrl('main').replace('rtsp://', `rtsp://${USER}:${PASS}@`);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=codec_type,codec_name,sample_rate,channels', '-of', 'json', url], { timeout: 25000 });
    const streams = (JSON.parse(stdout) as { streams: Array<Record<string, unknown>> }).streams;
    expect(streams).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ codec_type: 'video', codec_name: 'h264' }),
        expect.objectContaining({ codec_type: 'audio', codec_name: 'pcm_mulaw', sample_rate: '8000', channels: 1 }),
      ]),
    );
  });
});
