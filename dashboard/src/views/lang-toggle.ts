// The 中文 / EN switch. Labels are deliberately not translated: each names its own language.
import type { Lang } from '../api-types.ts';
import { getLang, onLangChange, setLang } from '../i18n.ts';
import { h } from './dom.ts';

const CHOICES: ReadonlyArray<[Lang, string]> = [
  ['zh', '中文'],
  ['en', 'EN'],
];

export function createLangToggle(): { el: HTMLElement; dispose: () => void } {
  const el = h('div', { className: 'lang-toggle', attrs: { role: 'group', 'aria-label': '语言 / Language' } });
  const buttons = CHOICES.map(([lang, label]) => {
    const b = h('button', { text: label, attrs: { type: 'button', lang: lang === 'zh' ? 'zh-CN' : 'en' } });
    b.addEventListener('click', () => setLang(lang));
    el.append(b);
    return [lang, b] as const;
  });
  const paint = (current: Lang): void => {
    for (const [lang, b] of buttons) b.setAttribute('aria-pressed', String(lang === current));
  };
  paint(getLang());
  return { el, dispose: onLangChange(paint) };
}
