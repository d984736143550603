/** Length in Unicode code points, the unit every protocol limit is stated in. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}

// C0/C1 controls, line/paragraph separators and bidi overrides: unprintable, or usable to spoof a name on screen.
const UNPRINTABLE = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069\uFEFF]/u;

export function isPrintable(text: string): boolean {
  return !UNPRINTABLE.test(text);
}
