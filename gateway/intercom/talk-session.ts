// One push-to-talk session: the operator's microphone audio, at whatever rate it was captured,
// to one camera's speaker. Resamples to 8 kHz and hands it to the backchannel client, which
// encodes, paces and sends it.
import type { Logger } from '../../common/logger.ts';
import { intercomError } from './errors.ts';
import { MAX_RATE, MIN_RATE, Resampler } from './resample.ts';
import { RtspBackchannelClient } from './rtsp-backchannel-client.ts';

export interface TalkOptions {
  rtspUri: string;
  username: string;
  password: string;
  logger: Logger;
  requestTimeoutMs?: number;
  maxBacklogMs?: number;
}

export interface TalkSession {
  /** 16-bit mono PCM at `sampleRate` Hz. Throws INTERCOM_BAD_INPUT for an impossible rate. */
  push(pcm: Int16Array, sampleRate: number): void;
  /** Sends what is queued, tears the RTSP session down and closes the connection. */
  close(): Promise<void>;
  /** Resolves when the session is over: null after close(), else why the camera side broke. */
  ended(): Promise<Error | null>;
}

/** Rejects with INTERCOM_UNSUPPORTED, INTERCOM_AUTH_FAILED, INTERCOM_UNREACHABLE, ... */
export async function startTalk(o: TalkOptions): Promise<TalkSession> {
  const client = await RtspBackchannelClient.connect({
    rtspUri: o.rtspUri,
    username: o.username,
    password: o.password,
    logger: o.logger,
    ...(o.requestTimeoutMs !== undefined ? { requestTimeoutMs: o.requestTimeoutMs } : {}),
    ...(o.maxBacklogMs !== undefined ? { maxBacklogMs: o.maxBacklogMs } : {}),
  });
  let resampler: Resampler | null = null;
  return {
    push(pcm, sampleRate) {
      if (!Number.isInteger(sampleRate) || sampleRate < MIN_RATE || sampleRate > MAX_RATE) throw intercomError('INTERCOM_BAD_INPUT', `sample rate ${sampleRate}`);
      if (resampler?.fromRate !== sampleRate) resampler = new Resampler(sampleRate, 8000);
      client.send(resampler.push(pcm));
    },
    close: () => client.close(),
    ended: () => client.ended$(),
  };
}
