import { LIMITS, RESERVED_NAMES } from './limits';

/** Length in Unicode code points, the unit every protocol limit is stated in. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}

// Letters and symbols that draw nothing, or only a blank, though they are not spaces: Hangul fillers, the braille
// blank, the combining grapheme joiner, Khmer inherent vowels, the Mongolian vowel separator.
const FILLERS = '\\u115F\\u1160\\u3164\\uFFA0\\u2800\\u034F\\u17B4\\u17B5\\u180E';
// Controls, format characters (Cf: zero-width spaces and joiners, RLM/LRM/ALM, soft hyphen, bidi controls, BOM,
// tags...), line/paragraph separators, fillers, every space but the plain one (lookalikes of it), and the replacement
// character U+FFFD (what a broken UTF-8 or percent-encoding decodes to: nobody chooses it).
const SPACES_BUT_PLAIN = '\\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000';
const NOT_IN_NAMES = new RegExp(`[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}${FILLERS}${SPACES_BUT_PLAIN}\\uFFFD]`, 'u');
// Format characters an emoji needs: a zero-width joiner between two pictographs (👩‍💻), and the tag characters of a
// subdivision flag after the black flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿). Removed before the check above, so emoji names stay welcome.
const EMOJI_FORMAT = /(?<=\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic})|(?<=\u{1F3F4})[\u{E0020}-\u{E007E}]+\u{E007F}/gu;
// Something that draws ink: not a space, a mark alone, a control, a format character or a filler.
const VISIBLE = new RegExp(`[^\\p{White_Space}\\p{M}\\p{Cc}\\p{Cf}${FILLERS}]`, 'u');
// Embeddings, overrides and isolates reorder the text that follows them (RLO shows "abc" as "cba").
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
const EVERY_BIDI_CONTROL = new RegExp(BIDI_CONTROLS.source, 'gu');

/** Whether the text shows at least one character that draws something. */
export function hasVisibleCharacter(text: string): boolean {
  return VISIBLE.test(text);
}

// Control characters (C0, DEL, C1) other than tab, line feed and carriage return: a message is text to read.
const CONTROL_BUT_LINE_BREAK = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/;
const EVERY_CONTROL_BUT_LINE_BREAKS = new RegExp(CONTROL_BUT_LINE_BREAK.source, 'g');
// Half of a surrogate pair without its other half: not a character, and strict JSON decoders reject its escape.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether the text holds a control character other than tab and line breaks. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL_BUT_LINE_BREAK.test(text);
}

/**
 * The text without what the room refuses in a message wherever it stands: control characters but tab and line
 * breaks, and bidi embeddings, overrides and isolates (text copied from right-to-left documents often carries them).
 * The page strips them from the message box as they arrive, so it never sends a message or draft the room refuses.
 */
export function withoutRefusedCharacters(text: string): string {
  return text.replace(EVERY_CONTROL_BUT_LINE_BREAKS, '').replace(EVERY_BIDI_CONTROL, '');
}

/** Whether every surrogate in the text is part of a pair (the text is well-formed Unicode). */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** Whether the text holds a bidi embedding, override or isolate, which would reorder how it reads on screen. */
export function hasBidiControl(text: string): boolean {
  return BIDI_CONTROLS.test(text);
}

/**
 * Why a (trimmed) name cannot be used, or undefined when it can: 1-32 characters, at least one visible; no control,
 * format or filler character, no space but the plain one; not a name the room reserves (the bot, the system),
 * compared case-insensitively and after compatibility folding (so "ＢＯＴ" is "bot").
 */
export function nameProblem(name: string): string | undefined {
  if (codePointLength(name) > LIMITS.nameMaxLength) return `a name is at most ${LIMITS.nameMaxLength} characters`;
  if (NOT_IN_NAMES.test(name.replace(EMOJI_FORMAT, ''))) {
    return 'a name cannot contain invisible, control, direction or filler characters, nor spaces other than the plain one';
  }
  if (!hasVisibleCharacter(name)) return 'a name needs at least one visible character';
  const folded = name.normalize('NFKC').toLowerCase();
  if ((RESERVED_NAMES as readonly string[]).includes(folded)) return `"${name}" is reserved; choose another name`;
  return undefined;
}
