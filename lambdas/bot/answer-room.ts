import type { EventBus } from '../shared/event-bus';
import type { HistoryStore } from '../shared/history-store';
import { logger } from '../shared/logger';
import { recordMetric } from '../shared/metrics';
import type { AnswerBudget, PersonVerdict } from './answer-budget';
import type { AnswerClaims, Claim } from './answer-claims';
import { answerIdFor } from '../shared/answer-id';
import type { BotConfig } from './bot-config';
import { closeAnswer } from './close-answer';
import type { ContextRetriever } from './context-retriever';
import type { Question } from './group-questions';
import type { InferenceTarget } from './inference/types';
import { streamAnswer } from './stream-answer';

export interface BotDeps {
  config: BotConfig;
  targets: InferenceTarget[];
  history: HistoryStore;
  /** Only `publish` is used: anything that puts bus records. */
  bus: Pick<EventBus, 'publish'>;
  budget: AnswerBudget;
  claims: AnswerClaims;
  retriever: ContextRetriever;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Answers a room's new questions (one or more in a row) with one streamed answer, exactly once:
 * 1. questions already claimed (a retried record) are skipped; an answer of theirs still open was cut short and is
 *    closed with an `ai` `error` under its own id;
 * 2. each asker's own budget is taken (connection, then address): someone over it gets a notice only they see, and
 *    their questions are declined without touching the room's or everyone's budget;
 * 3. the room's and overall budget is taken (over it: the questions are declined, one notice to the room a minute),
 *    then the rest are claimed (conditional writes) before anything streams, under an answer id derived from the
 *    question answered;
 * 4. the answer streams, and its claim records how it ended.
 * Rejects only when something could not be written or published: the room is then retried, and step 1 makes that safe.
 */
export async function answerRoom(room: string, questions: readonly Question[], deps: BotDeps): Promise<void> {
  const now = (deps.now ?? Date.now)();
  const existing = await deps.claims.read(questions.map(({ frame }) => frame.id));
  await closeCutAnswers(questions, existing, deps, now);
  const fresh = questions.filter(({ frame }) => !existing.has(frame.id));
  if (fresh.length === 0) return;

  // With a room or overall budget of 0 the bot is off: the room is told so, and nobody's own budget is counted.
  const { answersPerRoomPerMinute, answersPerMinute } = deps.config;
  const botIsOff = answersPerRoomPerMinute === 0 || answersPerMinute === 0;
  const granted = botIsOff ? fresh : await takePersonBudgets(room, fresh, deps, now);
  const last = granted.at(-1);
  if (!last) return;
  const ids = granted.map(({ frame }) => frame.id);

  // The room's and everyone's budget before the claim: a question the bot declines is never 'claimed', so a stop in
  // between can never leave it looking like a cut answer (at worst a retry counts it against the budget twice).
  const verdict = await deps.budget.take(room, now);
  if (verdict !== 'granted') {
    recordMetric('budgetExhausted');
    await deps.claims.decline(room, ids, now);
    if (await deps.budget.firstNotice(room, now)) await notify(room, roomNotice(verdict, deps.config), deps.bus);
    return;
  }
  const answerId = answerIdFor(last.frame.id);
  await deps.claims.claim(room, ids, answerId, now);
  const ended = await streamAnswer(room, granted.map(({ frame }) => frame), answerId, deps);
  await deps.claims.finish(last.frame.id, ended ? 'answered' : 'failed');
}

/**
 * Closes the answers of already-claimed questions that never ended. An answer's own item is written after all its
 * questions' items, so a question whose answer item is missing, and is among these questions, belongs to an attempt
 * that stopped before it published anything: there is nothing to close.
 */
async function closeCutAnswers(questions: readonly Question[], existing: Map<string, Claim>, deps: BotDeps, now: number): Promise<void> {
  const inBatch = new Set(questions.map(({ frame }) => frame.id));
  const answers = new Map<string, Claim | undefined>();
  for (const claim of existing.values()) answers.set(claim.replyTo, existing.get(claim.replyTo));
  const missing = [...answers].filter(([replyTo, claim]) => !claim && !inBatch.has(replyTo)).map(([replyTo]) => replyTo);
  if (missing.length > 0) for (const [replyTo, claim] of await deps.claims.read(missing)) answers.set(replyTo, claim);
  for (const claim of answers.values()) {
    if (claim?.state === 'claimed') await closeAnswer(claim, deps, now);
  }
}

/** The questions whose askers are within their own budget; the others are declined, their askers told once a minute. */
async function takePersonBudgets(room: string, questions: readonly Question[], deps: BotDeps, now: number): Promise<Question[]> {
  const verdicts = new Map<string, PersonVerdict>();
  for (const { sender } of questions) {
    if (sender && !verdicts.has(sender.connectionId)) verdicts.set(sender.connectionId, await deps.budget.takePerson(sender, now));
  }
  const isGranted = ({ sender }: Question) => !sender || verdicts.get(sender.connectionId) === 'granted';
  const declined = questions.filter((question) => !isGranted(question));
  if (declined.length > 0) {
    await deps.claims.decline(room, declined.map(({ frame }) => frame.id), now);
    for (const [connectionId, verdict] of verdicts) {
      if (verdict === 'granted' || !(await deps.budget.firstPersonNotice(connectionId, now))) continue;
      logger.info('An asker is over their own bot budget', { room, connectionId, verdict });
      await notify(room, personNotice(verdict, deps.config), deps.bus, connectionId);
    }
  }
  return questions.filter(isGranted);
}

function roomNotice(verdict: 'room' | 'overall', config: BotConfig): string {
  return verdict === 'room'
    ? `The bot answers at most ${config.answersPerRoomPerMinute} messages a minute in this room; it will answer again in a moment.`
    : 'The bot is very busy across all rooms right now; it will answer again in a moment.';
}

function personNotice(verdict: Exclude<PersonVerdict, 'granted'>, config: BotConfig): string {
  return verdict === 'connection'
    ? `The bot answers at most ${config.answersPerConnectionPerMinute} of your messages a minute; it will answer you again in a moment.`
    : `The bot answers at most ${config.answersPerSourceIpPerMinute} messages a minute from your network address; it will answer you again in a moment.`;
}

/** A `system` notice to the room, or to one connection only. */
async function notify(room: string, text: string, bus: BotDeps['bus'], only?: string): Promise<void> {
  await bus.publish({ v: 1, room, frame: { type: 'system', room, event: 'notice', text, online: 0 }, ...(only ? { only } : {}) });
}
