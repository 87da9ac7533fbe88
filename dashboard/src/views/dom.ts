// Small DOM helpers. Text goes in through textContent only: nothing from the gateway is ever
// parsed as HTML.

type Attrs = Record<string, string>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; attrs?: Attrs } = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.className) el.className = props.className;
  if (props.text !== undefined) el.textContent = props.text;
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

/** Sets text only when it changed, so a once-a-second refresh does not churn the page. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function setAttr(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

export function setClass(el: Element, className: string): void {
  if (el.className !== className) el.className = className;
}

/**
 * Puts `children` into `parent` in this order, moving only nodes that are out of place
 * (moving a node restarts its CSS animation) and removing the rest.
 */
export function reconcileChildren(parent: Element, children: readonly Element[]): void {
  const keep = new Set<Node>(children);
  for (const node of [...parent.childNodes]) if (!keep.has(node)) node.remove();
  children.forEach((child, i) => {
    if (parent.children[i] !== child) parent.insertBefore(child, parent.children[i] ?? null);
  });
}
