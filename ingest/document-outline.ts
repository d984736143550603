/** A document parsed into its structure, before it is packed into passages. */

export type BlockKind = 'paragraph' | 'code' | 'list' | 'table';

export interface Block {
  kind: BlockKind;
  /** The block as written (a code block with its fences). */
  text: string;
  /** Where a too-long block may be cut: list items, table rows, code lines. Empty for paragraphs (cut by sentences). */
  units: string[];
  /** Code: the opening fence line, repeated on every piece of a code block that must be cut. */
  fence?: { open: string; close: string };
}

export interface Section {
  /** Headings above the section, outermost first. */
  headingPath: string[];
  blocks: Block[];
}

export interface DocumentOutline {
  /** Front matter `title`, the first level-1 heading, or the HTML `<title>`; absent when the document has none. */
  title?: string;
  sections: Section[];
}
