/**
 * Builds DOM nodes. Text only ever goes in as text nodes: nothing in this page parses a string as markup, so nothing
 * anyone types or the bot writes can inject elements or run script.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  element.append(...children);
  return element;
}

/** The element with this id, or a clear error naming it (the page's HTML and script disagree). */
export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no element #${id}`);
  return element as T;
}
