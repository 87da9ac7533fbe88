// The visual intercom in the alarm panel: listen to the box (unmute its camera's tile) and hold a
// button to talk to it (the browser microphone goes to the box's speaker through the gateway).
import { TalkClient, type TalkState } from '../intercom/talk-client.ts';
import { onLangChange, t } from '../i18n.ts';
import { h, setText } from './dom.ts';

export interface IntercomControls {
  el: HTMLElement;
  /** The camera in the box (its microphone and speaker), or null: the controls hide. */
  setTarget(cameraId: string | null, listen: (on: boolean) => void): void;
  destroy(): void;
}

export function createIntercomControls(opts: { canTalk?: boolean } = {}): IntercomControls {
  const listen = h('button', { className: 'secondary intercom-listen', attrs: { type: 'button', 'aria-pressed': 'false' } });
  const talk = h('button', { className: 'primary intercom-talk', attrs: { type: 'button' } });
  const status = h('span', { className: 'intercom-status', attrs: { role: 'status' } });
  const el = h('div', { className: 'intercom' }, listen, talk, status);
  talk.hidden = opts.canTalk === false;
  talk.dataset.action = 'talk';
  let cameraId: string | null = null;
  let setListening: (on: boolean) => void = () => undefined;
  let client: TalkClient | null = null;
  let listening = false;
  let talkState: { state: TalkState | 'idle'; detail?: string } = { state: 'idle' };

  const label = (state: TalkState | 'idle', detail?: string) => {
    talkState = detail === undefined ? { state } : { state, detail };
    setText(talk, state === 'talking' || state === 'starting' ? t('alarm.talking') : t('alarm.talk'));
    setText(status, state === 'error' ? `${t('alarm.talkError')}${detail ? `: ${detail}` : ''}` : '');
    el.dataset.talk = state;
  };
  const paintListen = () => {
    setText(listen, listening ? t('alarm.mute') : t('alarm.listen'));
    listen.setAttribute('aria-pressed', String(listening));
  };

  listen.addEventListener('click', () => {
    listening = !listening;
    // The sound comes on its own stream (the picture-only one starts faster): the tile reopens.
    setListening(listening);
    paintListen();
  });
  const start = (e: Event) => {
    e.preventDefault();
    if (!cameraId || client) return;
    client = new TalkClient({ url: `/api/intercom/${encodeURIComponent(cameraId)}`, onState: (s, d) => label(s, d) });
    void client.start();
  };
  const stop = () => {
    client?.stop();
    client = null;
    label('idle');
  };
  // Push to talk, with mouse, touch or keyboard (space/enter held).
  talk.addEventListener('pointerdown', start);
  talk.addEventListener('pointerup', stop);
  talk.addEventListener('pointerleave', stop);
  talk.addEventListener('keydown', (e) => (e.key === ' ' || e.key === 'Enter') && !e.repeat && start(e));
  talk.addEventListener('keyup', (e) => (e.key === ' ' || e.key === 'Enter') && stop());

  label('idle');
  paintListen();
  el.hidden = true;
  // The labels follow a language switch at once, mid-call included.
  const offLang = onLangChange(() => {
    label(talkState.state, talkState.detail);
    paintListen();
  });

  return {
    el,
    setTarget(id, listen) {
      if (id !== cameraId) {
        stop();
        listening = false;
        paintListen();
      }
      cameraId = id;
      setListening = listen;
      el.hidden = id === null;
    },
    destroy() {
      stop();
      offLang();
    },
  };
}
