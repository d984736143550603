import type { HistoryMessage, UserFrame } from '../../contract/protocol';
import type { Passage } from '../shared/retrieval/types';
import { formatRetrievedContext } from './inference/retrieved-context';
import type { ChatTurn } from './inference/types';

/** The most the prompt's conversation may hold; the oldest turns go first. */
export const MAX_CONVERSATION_CHARS = 12_000;

/**
 * The model's view of the room: the system prompt with the retrieved passages, then the recent conversation with who
 * said what (several people talk in a room; the bot is the assistant), ending with the questions to answer.
 */
export function buildPrompt(
  systemPrompt: string,
  history: readonly HistoryMessage[],
  questions: readonly UserFrame[],
  passages: readonly Passage[],
): { system: string; messages: ChatTurn[] } {
  const system = passages.length > 0 ? `${systemPrompt}\n\n${formatRetrievedContext([...passages])}` : systemPrompt;
  const asked = questions.map(toTurn);
  let budget = MAX_CONVERSATION_CHARS - asked.reduce((sum, turn) => sum + turn.content.length, 0);
  const earlier: ChatTurn[] = [];
  for (const message of [...history].reverse()) {
    const turn = message.type === 'user' ? toTurn(message) : message.state === 'end' ? { role: 'assistant' as const, content: message.text } : undefined;
    if (!turn) continue;
    budget -= turn.content.length;
    if (budget < 0) break;
    earlier.unshift(turn);
  }
  // A conversation starts with a person speaking.
  while (earlier[0]?.role === 'assistant') earlier.shift();
  return { system, messages: [...earlier, ...asked] };
}

function toTurn(message: UserFrame): ChatTurn {
  return { role: 'user', content: `${message.author.name}: ${message.text}` };
}
