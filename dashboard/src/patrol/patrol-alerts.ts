// How a phone gets the officer's attention for a new dispatch: a siren-like tone (WebAudio, no
// audio file), vibration, and a system notification. Browsers keep audio locked until a user
// gesture, so the page offers an "enable alerts" button that unlocks it and asks for
// notification permission. Every part fails quietly: the flashing banner is always shown.

let audio: AudioContext | null = null;
/** The notification service worker, where the browser has them (a secure context). */
let worker: ServiceWorkerRegistration | null = null;

/** Android's Chrome shows notifications only through a service worker; others accept either. */
async function registerWorker(): Promise<void> {
  if (worker || !window.isSecureContext || !('serviceWorker' in navigator)) return;
  worker = await navigator.serviceWorker.register('./notify-sw.js');
}

/** Must run inside a user gesture (a click). Returns whether sound can now play. */
export async function unlockAlerts(): Promise<boolean> {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') await audio.resume();
    // A near-silent blip: some mobile browsers only count a context as unlocked once it played.
    tone(audio, audio.currentTime + 0.01, 440, 0.02, 0.0001);
  } catch {
    audio = null;
  }
  try {
    if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
      await Notification.requestPermission();
    }
  } catch {
    // Some browsers (iOS outside a home-screen app) have no notifications: sound and banner remain.
  }
  try {
    if (notificationsState() === 'granted') await registerWorker();
  } catch {
    worker = null; // the page's own Notification remains
  }
  return audioReady();
}

export function audioReady(): boolean {
  return audio !== null && audio.state === 'running';
}

export function notificationsState(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

function tone(ctx: AudioContext, t0: number, hz: number, seconds: number, level: number): void {
  const gain = ctx.createGain();
  gain.connect(ctx.destination);
  gain.gain.setValueAtTime(level, t0);
  gain.gain.setValueAtTime(0.0001, t0 + seconds);
  const osc = ctx.createOscillator();
  osc.type = 'square';
  osc.frequency.setValueAtTime(hz, t0);
  osc.connect(gain);
  osc.start(t0);
  osc.stop(t0 + seconds);
  osc.onended = () => gain.disconnect();
}

/** About three seconds of rising and falling tones. */
function ringSound(): void {
  if (!audio) return;
  try {
    if (audio.state === 'suspended') void audio.resume().catch(() => {});
    const start = audio.currentTime + 0.02;
    for (let i = 0; i < 6; i++) {
      tone(audio, start + i * 0.5, 960, 0.22, 0.18);
      tone(audio, start + i * 0.5 + 0.25, 720, 0.22, 0.18);
    }
  } catch {
    // No sound; the banner and vibration still work.
  }
}

function vibrate(): void {
  try {
    if (typeof navigator.vibrate === 'function') navigator.vibrate([400, 200, 400, 200, 800]);
  } catch {
    // Not available.
  }
}

function notify(title: string, body: string, tag: string): void {
  try {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    if (worker?.active) {
      worker.showNotification(title, { body, tag, requireInteraction: true }).catch(() => {
        // Refused after all: sound, vibration and the banner remain.
      });
      return;
    }
    // Android Chrome refuses `new Notification` outside a service worker and throws: ignore.
    const n = new Notification(title, { body, tag, requireInteraction: true });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  } catch {
    // Sound, vibration and the banner remain.
  }
}

/** Everything at once for new dispatches. */
export function ring(title: string, body: string, tag: string): void {
  ringSound();
  vibrate();
  notify(title, body, tag);
}
