import { withoutMentions } from '../../shared/without-mentions';
import { keywords } from './keywords';
import { type ContextPassage, parseRetrievedContext } from './retrieved-context';
import type { ChatTurn } from './types';

/** Most sentences quoted from the passages. */
const MAX_QUOTES = 3;
/** Longest quoted sentence and echoed question, in characters. */
const MAX_QUOTE_CHARS = 300;
const MAX_ECHO_CHARS = 200;
/** Keywords named back to the asker. */
const MAX_ECHO_KEYWORDS = 6;

// It speaks to the visitor who asked; how an operator connects a model is logged at start (create-bot-deps.ts) and
// told in README.md and docs/bot.md.
const HEADLINE = '**Offline mode**: I am not connected to a language model right now, so I cannot write an answer of my own.';

interface Quote {
  n: number;
  /** Ready to print: a prose sentence flattened to one line, or a whole fenced code block. */
  sentence: string;
  kind: 'prose' | 'code';
  score: number;
  order: number;
}

/** Longest code block quoted, in lines. */
const MAX_CODE_LINES = 12;

interface QuotableUnit {
  kind: 'prose' | 'code';
  text: string;
}

/** A passage as quotable units: whole fenced code blocks, and prose sentences (list marks off, headings left out). */
function quotableUnits(text: string): QuotableUnit[] {
  return text.split(/(```[^\n]*\n[\s\S]*?```)/).flatMap((part): QuotableUnit[] => {
    if (part.startsWith('```')) {
      const lines = part.trim().split('\n');
      const body = lines.length > MAX_CODE_LINES + 2 ? [...lines.slice(0, MAX_CODE_LINES + 1), '…', '```'] : lines;
      return [{ kind: 'code' as const, text: body.join('\n') }];
    }
    return part
      .split(/(?<=[.!?])\s+|\n{2,}|\n(?=\s*(?:[-*+]|\d+\.|#{1,6})\s)/)
      // Headings title the passage already; they are not something to quote.
      .filter((sentence) => !/^\s*#{1,6}\s/.test(sentence))
      .map((sentence) => sentence.replace(/^\s*(?:[-*+]|\d+\.)\s+/, '').trim())
      .filter((sentence) => sentence !== '' && !/^`{3}/.test(sentence))
      .map((sentence) => ({ kind: 'prose' as const, text: sentence }));
  });
}

/** Words match when equal, or when both are long and share their first five letters (deploy, deployed, deployment). */
function sameWord(a: string, b: string): boolean {
  return a === b || (a.length >= 5 && b.length >= 5 && a.slice(0, 5) === b.slice(0, 5));
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** The latest question, without the `Name: ` prefix the bot puts before each person's message, nor @mentions. */
function lastQuestion(messages: readonly ChatTurn[]): string {
  const last = [...messages].reverse().find((turn) => turn.role === 'user');
  return withoutMentions((last?.content ?? '').replace(/^[^\s:][^:\n]{0,39}: /, ''));
}

function rankSentences(passages: readonly ContextPassage[], asked: readonly string[]): Quote[] {
  const quotes: Quote[] = [];
  for (const passage of passages) {
    for (const unit of quotableUnits(passage.text)) {
      const words = keywords(unit.text);
      const score = asked.filter((word) => words.some((candidate) => sameWord(word, candidate))).length;
      const sentence = unit.kind === 'code' ? unit.text : shorten(unit.text, MAX_QUOTE_CHARS);
      quotes.push({ n: passage.n, sentence, kind: unit.kind, score, order: quotes.length });
    }
  }
  return quotes;
}

function pickQuotes(passages: readonly ContextPassage[], asked: readonly string[]): { quotes: Quote[]; matched: boolean } {
  const ranked = rankSentences(passages, asked);
  const best = ranked
    .filter((quote) => quote.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, MAX_QUOTES)
    .sort((a, b) => a.order - b.order);
  if (best.length > 0) return { quotes: best, matched: true };
  // Nothing shares a word with the question: show how each of the first passages begins.
  const openings = passages.slice(0, 2).flatMap((passage) => ranked.find((quote) => quote.n === passage.n) ?? []);
  return { quotes: openings, matched: false };
}

function withPassages(question: string, passages: readonly ContextPassage[]): string {
  const { quotes, matched } = pickQuotes(passages, keywords(question));
  const about = question ? ` about "${shorten(question, MAX_ECHO_CHARS)}"` : '';
  const intro = matched
    ? `Here is what my stored notes say${about}:`
    : `None of my stored notes uses the words of your question${about}; here is how the nearest ones begin:`;
  // Each quote cites its passage as [n]; the answer's `sources` field lists them (the one list, not repeated here).
  return [
    `${HEADLINE} ${intro}`,
    ...quotes.map((quote) => (quote.kind === 'code' ? `${quote.sentence}\n[${quote.n}]` : `> ${quote.sentence} [${quote.n}]`)),
  ].join('\n\n');
}

function withoutPassages(question: string): string {
  const topics = keywords(question).slice(0, MAX_ECHO_KEYWORDS);
  const understood = question
    ? `I understood your message as "${shorten(question, MAX_ECHO_CHARS)}"${topics.length ? ` (about: ${topics.join(', ')})` : ''}, but none of my stored notes matches it, so I have nothing to quote.`
    : 'I found no question to answer.';
  return [`${HEADLINE} ${understood}`, 'Try other words, or ask again later.'].join('\n\n');
}

/**
 * What the offline target says, to the visitor who asked: plainly that it is offline, then either the sentences of the
 * retrieved passages (in the system prompt, see retrieved-context.ts) that share the most words with the latest
 * question, each cited [n] (the answer's `sources` list them), or, with no passages, what it understood of the
 * question. It never names settings: operators learn those from the logs and the docs. Deterministic.
 */
export function composeOfflineAnswer(system: string, messages: readonly ChatTurn[]): string {
  const question = lastQuestion(messages);
  const passages = parseRetrievedContext(system).filter((passage) => passage.text !== '');
  return passages.length > 0 ? withPassages(question, passages) : withoutPassages(question);
}
