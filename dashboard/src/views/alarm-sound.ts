// A short two-tone beep for a new red alarm, made with a WebAudio oscillator (no audio file).
// Browsers keep audio locked until the user has interacted with the page; signing in counts,
// and a locked context simply stays silent (the panel still pops up).

let ctx: AudioContext | null = null;

export function playAlarmBeep(): void {
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
    const start = ctx.currentTime + 0.01;
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    gain.gain.setValueAtTime(0.0001, start);
    const tones = [880, 660, 880];
    tones.forEach((hz, i) => {
      const t0 = start + i * 0.2;
      const osc = ctx!.createOscillator();
      osc.type = 'square';
      osc.frequency.setValueAtTime(hz, t0);
      osc.connect(gain);
      osc.start(t0);
      osc.stop(t0 + 0.16);
      gain.gain.setValueAtTime(0.15, t0);
      gain.gain.setValueAtTime(0.0001, t0 + 0.16);
    });
    setTimeout(() => gain.disconnect(), (tones.length * 0.2 + 0.2) * 1000);
  } catch {
    // No WebAudio (or blocked): the alarm is still shown.
  }
}
