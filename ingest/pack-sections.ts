import type { Block, Section } from './document-outline';
import type { ResolvedChunkingOptions } from './chunking-options';
import { splitPassage, tailOf } from './split-passage';

export interface PackedPassage {
  headingPath: string[];
  text: string;
}

interface Piece {
  text: string;
  /** Prose may lend its last sentences to the next passage as overlap; code and tables do not. */
  prose: boolean;
}

const BLOCK_SEPARATOR = '\n\n';

/**
 * Packs each section's blocks into passages of about `targetChars`, never more than `maxChars`. A passage never spans
 * two sections. Blocks are cut only when they alone pass the limit: prose by sentences, lists by items, tables by rows
 * (the header repeated), code by lines (each piece fenced again). A passage that follows another in the same section
 * starts with the end of the previous one (`overlapChars`) when both are prose.
 */
export function packSections(sections: readonly Section[], options: ResolvedChunkingOptions): PackedPassage[] {
  const { targetChars, maxChars, overlapChars } = options;
  const passages: PackedPassage[] = [];
  for (const section of sections) {
    const pieces = section.blocks.flatMap((block) => blockPieces(block, options));
    let parts: string[] = [];
    let size = 0;
    let last: Piece | undefined;
    let overlapFrom: string | undefined;
    const emit = (): void => {
      if (parts.length > 0) passages.push({ headingPath: section.headingPath, text: parts.join(BLOCK_SEPARATOR) });
      overlapFrom = last?.prose ? last.text : undefined;
      parts = [];
      size = 0;
    };
    for (const piece of pieces) {
      const joined = size + BLOCK_SEPARATOR.length + piece.text.length;
      // A short lead-in (e.g. the sentence introducing a code block) stays with what follows when both fit.
      if (size > 0 && joined > targetChars && !(size < targetChars / 4 && joined <= maxChars)) emit();
      if (size === 0 && overlapFrom !== undefined && piece.prose) {
        const tail = tailOf(overlapFrom, Math.min(overlapChars, maxChars - BLOCK_SEPARATOR.length - piece.text.length));
        if (tail !== '') {
          parts.push(tail);
          size = tail.length;
        }
      }
      size = size === 0 ? piece.text.length : size + BLOCK_SEPARATOR.length + piece.text.length;
      parts.push(piece.text);
      last = piece;
    }
    emit();
  }
  return passages;
}

function blockPieces(block: Block, options: ResolvedChunkingOptions): Piece[] {
  const { maxChars } = options;
  const proseLimit = Math.min(options.targetChars, maxChars);
  switch (block.kind) {
    case 'paragraph':
      return splitPassage(block.text, proseLimit).map((text) => ({ text, prose: true }));
    case 'list':
      if (block.text.length <= proseLimit) return [{ text: block.text, prose: true }];
      return group(block.units.flatMap((item) => splitPassage(item, proseLimit)), proseLimit, '').map((text) => ({ text, prose: true }));
    case 'table': {
      if (block.text.length <= maxChars) return [{ text: block.text, prose: false }];
      const hasSeparator = /^\s*\|?\s*:?-{3,}/.test(block.units[1] ?? '');
      const header = block.units.slice(0, hasSeparator ? 2 : 1).join('\n');
      const rows = block.units.slice(hasSeparator ? 2 : 1);
      const budget = maxChars - header.length - 1;
      if (budget < maxChars / 4) return splitPassage(block.text, maxChars).map((text) => ({ text, prose: false }));
      return group(rows.flatMap((row) => splitPassage(row, budget)), budget, header).map((text) => ({ text, prose: false }));
    }
    case 'code': {
      if (block.text.length <= maxChars) return [{ text: block.text, prose: false }];
      const fence = block.fence ?? { open: '```', close: '```' };
      const budget = maxChars - fence.open.length - fence.close.length - 2;
      if (budget < maxChars / 4) return splitPassage(block.text, maxChars).map((text) => ({ text, prose: false }));
      const lines = block.units.flatMap((line) => (line.length > budget ? splitPassage(line, budget) : [line]));
      return group(lines, budget, '').map((code) => ({ text: `${fence.open}\n${code}\n${fence.close}`, prose: false }));
    }
  }
}

/** Joins lines with `\n` into groups of at most `maxChars` (each line already fits), each group after `header`. */
function group(lines: string[], maxChars: number, header: string): string[] {
  const groups: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (current.length > 0 && size + 1 + line.length > maxChars) {
      groups.push(current.join('\n'));
      current = [];
      size = 0;
    }
    size = current.length === 0 ? line.length : size + 1 + line.length;
    current.push(line);
  }
  if (current.length > 0) groups.push(current.join('\n'));
  return header === '' ? groups : groups.map((rows) => `${header}\n${rows}`);
}
