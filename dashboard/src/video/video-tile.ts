// One live camera on screen: its name, its state badge, the picture, and an overlay saying
// why there is no picture yet. Starts with MSE (fMP4 passthrough) and switches to JSMpeg when
// the gateway says the stream is MPEG-1 or this browser cannot play its codec.
// destroy() closes the socket and stops every timer of whichever player is running.
import type { CameraView, SiteCamera } from '../api-types.ts';
import { cameraKindLabel, cameraStateLabel, local, t, type MessageKey } from '../i18n.ts';
import { h, setAttr, setClass, setText } from '../views/dom.ts';
import type { ServerStreamState, StreamProfile, StreamRefusal } from './live-edge.ts';
import { MsePlayer, mseAvailable } from './mse-player.ts';
import type { LivePlayer, PlayerStatus } from './player.ts';

export interface TileStatus {
  player: PlayerStatus;
  server: ServerStreamState | null;
  refused: StreamRefusal | null;
  /** A frame has been shown since the tile opened. */
  hasPicture: boolean;
}

/** The overlay text for a tile, or null when the picture speaks for itself. */
export function overlayMessage(s: TileStatus): MessageKey | null {
  if (s.refused) return `video.refused.${s.refused}`;
  if (s.player === 'stopped') return 'video.stopped';
  if (s.player === 'reconnecting') return 'video.reconnecting';
  if (s.server === 'reconnecting') return 'video.cameraReconnecting';
  if (s.server === 'stopped') return 'video.stopped';
  if (!s.hasPicture) return 'video.connecting';
  return null;
}

export interface VideoTileOptions {
  camera: SiteCamera;
  /** A caption before the name, e.g. "Linked PTZ dome"; defaults to the camera's kind. */
  role?: MessageKey;
  profile?: StreamProfile;
  /** Open the stream with the camera's sound, unmuted (listening in). */
  audio?: boolean;
}

export interface VideoTile {
  el: HTMLElement;
  readonly cameraId: string;
  readonly player: LivePlayer | null;
  /** Redraws name, badge and overlay (language, camera state from the feed). */
  update(view: CameraView | undefined): void;
  destroy(): void;
}

export function createVideoTile(opts: VideoTileOptions): VideoTile {
  const { camera } = opts;
  const role = h('span', { className: 'video-role' });
  const name = h('span', { className: 'video-name' });
  const badge = h('span', { className: 'badge' });
  const mode = h('span', { className: 'video-mode' });
  const overlay = h('div', { className: 'video-overlay' });
  const frame = h('div', { className: 'video-frame' }, overlay);
  const el = h('figure', { className: 'video-tile', attrs: { 'data-camera': camera.id } }, h('figcaption', {}, role, name, badge, mode), frame);

  const status: TileStatus = { player: 'connecting', server: null, refused: null, hasPicture: false };
  let player: LivePlayer | null = null;
  let lastView: CameraView | undefined;
  let destroyed = false;

  const events = {
    onStatus: (s: PlayerStatus) => {
      status.player = s;
      redraw();
    },
    onServerState: (s: ServerStreamState) => {
      status.server = s;
      redraw();
    },
    onRefused: (r: StreamRefusal) => {
      status.refused = r;
      redraw();
    },
  };

  const watchFirstFrame = (p: LivePlayer): void => {
    void p.firstFrame.then(() => {
      if (destroyed || player !== p) return;
      status.hasPicture = true;
      redraw();
    });
  };

  const startJsmpeg = async (): Promise<void> => {
    status.player = 'connecting';
    redraw();
    // Loaded on demand: most sites never need it, and it is most of the bundle.
    let mod: typeof import('./jsmpeg-player.ts');
    try {
      mod = await import('./jsmpeg-player.ts');
    } catch {
      status.player = 'stopped';
      redraw();
      return;
    }
    if (destroyed) return;
    const p = new mod.JsmpegPlayer(frame, { cameraId: camera.id, profile: opts.profile ?? 'sub', ...events });
    frame.insertBefore(p.canvas, overlay);
    player = p;
    watchFirstFrame(p);
    p.start();
    redraw();
  };

  const startMse = (): void => {
    const video = h('video', { className: 'video-picture', attrs: { ...(opts.audio ? {} : { muted: '' }), playsinline: '', autoplay: '' } });
    video.muted = !opts.audio;
    frame.insertBefore(video, overlay);
    const p = new MsePlayer(video, {
      cameraId: camera.id,
      profile: opts.profile ?? 'main',
      audio: opts.audio ?? false,
      ...events,
      onFallback: () => {
        video.remove();
        player = null;
        if (!destroyed) void startJsmpeg();
      },
    });
    player = p;
    watchFirstFrame(p);
    p.start();
  };

  function redraw(): void {
    setText(role, opts.role ? t(opts.role) : cameraKindLabel(camera.kind));
    setText(name, local(camera.name));
    const state = lastView?.state ?? 'unknown';
    setText(badge, cameraStateLabel(state));
    setClass(badge, `badge camera-state-${state}`);
    setText(mode, player?.kind === 'jsmpeg' ? t('video.fallback') : '');
    const msg = overlayMessage(status);
    setText(overlay, msg ? t(msg) : '');
    setAttr(overlay, 'data-shown', msg ? 'true' : 'false');
    setAttr(el, 'data-status', status.refused ? 'refused' : status.player);
  }

  if (mseAvailable()) startMse();
  else void startJsmpeg();
  redraw();

  return {
    el,
    cameraId: camera.id,
    get player() {
      return player;
    },
    update(view) {
      lastView = view;
      if (!destroyed) redraw();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      player?.destroy();
      player = null;
      el.remove();
    },
  };
}
