/**
 * What each table, stream and function is for, in words: the stack's outputs and the functions' descriptions say it.
 * Kept apart from topology.ts because every function bundle carries topology.ts (table and stream names, its own
 * settings) and none needs this text: only lib/ imports it (test/lambdas/light-imports.test.ts). Typed by name, so
 * nothing can go without a description.
 */
import type { FunctionName, StreamName, TableName } from './topology';

export const TABLE_DESCRIPTIONS: Readonly<Record<TableName, string>> = {
  connections: "Who is connected, and to which room; fanout finds a room's connections through the byRoom index (a Query).",
  messages: "Room history: every broadcast user message and the bot's final answers, ordered by id (time-sortable).",
  botBudget: "The bot's answer budget: counters per minute for each connection, source IP address and room, and one overall.",
  botAnswers:
    'Which questions the bot has taken on, one item per question, written before an answer streams: a retried record ' +
    'is never answered twice, and an answer cut short is closed with an error under its own id.',
};

export const STREAM_DESCRIPTIONS: Readonly<Record<StreamName, string>> = {
  events: "The bus: one record per room event, partition key = room, so a room's events stay in order.",
};

export const FUNCTION_DESCRIPTIONS: Readonly<Record<FunctionName, string>> = {
  connect: 'WebSocket $connect/$disconnect: validates the handshake, registers the connection, announces presence',
  message: 'Client actions: validates each frame, puts room events on the stream, answers join/history',
  fanout: 'Consumes the event stream, keeps room history, posts each event to every connection in its room',
  bot: "Answers people's messages token by token from the configured inference chain, streamed to the room",
};
