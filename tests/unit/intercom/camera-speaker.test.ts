// The simulated camera's two-way audio parts: the speaker recording and the microphone tone.
import { describe, expect, it } from 'vitest';
import { ulawToPcm16 } from '../../../simulators/camera/rtsp/backchannel-g711.ts';
import { BackchannelRecorder, pcmuPayload } from '../../../simulators/camera/rtsp/backchannel-recorder.ts';
import { toneSamples } from '../../../simulators/camera/rtsp/backchannel-tone.ts';
import { PcmuPacketizer } from '../../../gateway/intercom/rtp-packetizer.ts';
import { mulawEncode } from '../../../gateway/intercom/mulaw.ts';
import { dominantFrequency, tone } from '../../integration/intercom/audio-tools.ts';

describe('BackchannelRecorder', () => {
  it('decodes PCMU RTP from our packetizer back to the samples it was given (within G.711 steps)', () => {
    const rec = new BackchannelRecorder();
    const p = new PcmuPacketizer({ ssrc: 5, seq: 0, timestamp: 0 });
    const pcm = tone(440, 8000, 0.2);
    for (let at = 0; at < pcm.length; at += 160) rec.record(p.packet(mulawEncode(pcm.subarray(at, at + 160)), at === 0), 1234);
    const r = rec.recording();
    expect(r).toMatchObject({ sampleRate: 8000, packets: 10, lastAt: 1234 });
    expect(r.pcm.length).toBe(1600);
    expect(dominantFrequency(r.pcm, 8000)).toBe(440);
    rec.clear();
    expect(rec.recording()).toMatchObject({ packets: 0, lastAt: null });
  });

  it('ignores what is not PCMU RTP and stops keeping audio at its bound', () => {
    const rec = new BackchannelRecorder(0.04);
    const pcma = Buffer.alloc(172);
    pcma[0] = 0x80;
    pcma[1] = 8;
    rec.record(pcma);
    rec.record(Buffer.alloc(5));
    expect(rec.recording().packets).toBe(0);
    const p = new PcmuPacketizer({ ssrc: 5, seq: 0, timestamp: 0 });
    for (let i = 0; i < 5; i++) rec.record(p.packet(new Uint8Array(160), false));
    expect(rec.recording().pcm.length).toBe(320);
    expect(rec.recording().packets).toBe(5);
  });

  it('strips CSRCs, header extensions and padding', () => {
    const pkt = Buffer.from([0xb1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, /* csrc */ 1, 2, 3, 4, /* ext */ 0xbe, 0xde, 0, 1, 9, 9, 9, 9, /* payload */ 0xff, 0x7f, /* padding */ 0, 2]);
    expect([...(pcmuPayload(pkt) ?? [])]).toEqual([0xff, 0x7f]);
  });

  it('resolves waitForAudio once enough arrived and rejects after its timeout', async () => {
    const rec = new BackchannelRecorder();
    const p = new PcmuPacketizer({ ssrc: 5, seq: 0, timestamp: 0 });
    const waiting = rec.waitForAudio(0.04, 1000);
    rec.record(p.packet(new Uint8Array(160), false));
    rec.record(p.packet(new Uint8Array(160), false));
    await expect(waiting).resolves.toBeUndefined();
    await expect(rec.waitForAudio(10, 20)).rejects.toThrow(/samples/);
  });
});

describe('camera microphone tone', () => {
  it('is an 800 Hz sine in µ-law', () => {
    const pcm = ulawToPcm16(toneSamples(800, 0.3, 0, 4000));
    expect(dominantFrequency(pcm, 8000)).toBe(800);
  });
});
