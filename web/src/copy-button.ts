import { el } from './dom';

/** How long a copy button says "Copied" after a click. */
export const COPIED_FOR_MS = 2_000;

/**
 * A "Copy" button. Its visible word comes from CSS (`.copy::before`), so the text of the message it sits in (what
 * `innerText` and screen readers read as the message) stays the message alone; its name is the `aria-label`.
 */
export function copyButton(label: string, text: () => string): HTMLButtonElement {
  const button = el('button', 'copy');
  button.type = 'button';
  button.setAttribute('aria-label', label);
  let reset: ReturnType<typeof setTimeout> | undefined;
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(text()).then(
      () => {
        button.dataset.copied = 'true';
        button.setAttribute('aria-label', 'Copied');
        // "Copied" answers the click; after a moment the button is a Copy button again.
        clearTimeout(reset);
        reset = setTimeout(() => {
          delete button.dataset.copied;
          button.setAttribute('aria-label', label);
        }, COPIED_FOR_MS);
      },
      () => (button.dataset.copied = 'false'),
    );
  });
  return button;
}

/** Puts a copy button above every code block under `root`. */
export function addCodeCopyButtons(root: HTMLElement): void {
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    const holder = el('div', 'code');
    pre.replaceWith(holder);
    holder.append(copyButton('Copy code', () => pre.textContent ?? ''), pre);
  }
}
