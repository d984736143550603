import type { ChatTurn } from './types';

/**
 * Joins consecutive turns of the same role (several people writing in a row are one `user` turn to the model) with a
 * blank line between them, and drops blank turns (Bedrock rejects empty text blocks).
 */
export function mergeConsecutiveTurns(messages: readonly ChatTurn[]): ChatTurn[] {
  const merged: ChatTurn[] = [];
  for (const turn of messages) {
    if (turn.content.trim() === '') continue;
    const last = merged[merged.length - 1];
    if (last && last.role === turn.role) {
      last.content = `${last.content}\n\n${turn.content}`;
    } else {
      merged.push({ role: turn.role, content: turn.content });
    }
  }
  return merged;
}
