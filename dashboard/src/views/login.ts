// The sign-in form.
import { errorText, onLangChange, t } from '../i18n.ts';
import { toApiError } from '../api.ts';
import { h, setText } from './dom.ts';
import { createLangToggle } from './lang-toggle.ts';

export interface LoginView {
  el: HTMLElement;
  dispose: () => void;
}

/** `submit` rejects with an ApiError when the gateway refuses; the form shows why. */
export function createLoginView(opts: {
  submit: (username: string, password: string) => Promise<void>;
  notice?: { code: string; message: string };
}): LoginView {
  const title = h('h1', { className: 'login-title' });
  const userLabel = h('span');
  const passLabel = h('span');
  const username = h('input', {
    attrs: { name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: '' },
  });
  const password = h('input', {
    attrs: { name: 'password', type: 'password', autocomplete: 'current-password', required: '' },
  });
  const submit = h('button', { className: 'primary', attrs: { type: 'submit' } });
  const message = h('p', { className: 'form-error', attrs: { role: 'alert', 'aria-live': 'assertive' } });
  const langToggle = createLangToggle();

  const form = h(
    'form',
    { className: 'login-card', attrs: { novalidate: '' } },
    h('div', { className: 'login-head' }, title, langToggle.el),
    h('label', { className: 'field' }, userLabel, username),
    h('label', { className: 'field' }, passLabel, password),
    message,
    submit,
  );
  const el = h('main', { className: 'login-page' }, form);

  let busy = false;
  let error: { code: string; message: string } | null = opts.notice ?? null;

  const paint = (): void => {
    setText(title, t('app.title'));
    setText(userLabel, t('login.username'));
    setText(passLabel, t('login.password'));
    setText(submit, busy ? t('login.busy') : t('login.submit'));
    submit.disabled = busy;
    setText(message, error ? errorText(error) : '');
    document.title = t('app.title');
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (busy) return;
    const u = username.value.trim();
    if (!u || !password.value) {
      error = { code: 'MISSING', message: 'missing username or password' };
      paint();
      return;
    }
    busy = true;
    error = null;
    paint();
    opts.submit(u, password.value).then(
      () => {
        busy = false;
      },
      (err: unknown) => {
        busy = false;
        error = toApiError(err);
        password.value = '';
        paint();
        password.focus();
      },
    );
  });

  paint();
  queueMicrotask(() => username.focus());
  const offLang = onLangChange(paint);
  return {
    el,
    dispose: () => {
      offLang();
      langToggle.dispose();
    },
  };
}
