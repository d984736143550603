/**
 * The page's side of wire protocol v1 (docs/protocol.md): the frame types are the ones the functions send
 * (contract/protocol.ts, imported as types only), decoded by a small lenient decoder rather than the functions' zod
 * schemas (a few hundred bytes in the page instead of zod). Lenient: a frame the page cannot use is dropped, not
 * thrown; unknown fields are left out; a list keeps its good items and drops the malformed ones; a valid frame decodes
 * unchanged (test/web/protocol-contract.test.ts).
 */
import type {
  AiDelta,
  AiEnd,
  AiError,
  AiFrame,
  AiStart,
  Author,
  BatchFrame,
  BotInfo,
  ErrorFrame,
  HistoryMessage,
  PresenceFrame,
  ServerFrame as WireFrame,
  Source,
  TargetName,
  Usage,
  UserFrame,
  WelcomeFrame as WireWelcome,
} from '../../contract/protocol';

export type {
  AiFrame,
  Author,
  BotInfo,
  ClientFrame,
  ErrorFrame,
  HistoryFrame,
  HistoryMessage,
  PresenceFrame,
  Source,
  SystemFrame,
  Usage,
  UserFrame as UserMessage,
} from '../../contract/protocol';

/** The welcome, with who the bot is (wire-11: `bot`, sent by servers from issue 11 on). */
export type WelcomeFrame = WireWelcome & { bot?: { name: string; replies: 'addressed' | 'all' } };

/** A frame as the page handles it: batch envelopes are unwrapped into their frames. */
export type ServerFrame = Exclude<WireFrame, BatchFrame>;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
// Every name the contract allows, checked by the compiler both ways: a new target is a compile error here.
const TARGETS: { readonly [T in TargetName]: true } = { bedrock: true, llama: true, offline: true };
const isTarget = (value: unknown): value is TargetName => isString(value) && Object.hasOwn(TARGETS, value);

/** `{ key: value }` when the value passes the guard, `{}` otherwise: optional fields stay absent, never undefined. */
function optional<K extends string, T>(key: K, value: unknown, guard: (v: unknown) => v is T): { [P in K]?: T } {
  return (guard(value) ? { [key]: value } : {}) as { [P in K]?: T };
}

function list<T>(value: unknown, decode: (item: unknown) => T | undefined): T[] {
  return Array.isArray(value) ? value.map(decode).filter((item): item is T => item !== undefined) : [];
}

function author(value: unknown): Author | undefined {
  return isObject(value) && isString(value.id) && isString(value.name) ? { id: value.id, name: value.name } : undefined;
}

function user(frame: Json): UserFrame | undefined {
  const who = author(frame.author);
  if (!who || !isString(frame.id) || !isString(frame.text) || !isNumber(frame.ts)) return undefined;
  return {
    type: 'user',
    id: frame.id,
    room: isString(frame.room) ? frame.room : '',
    author: who,
    text: frame.text,
    ts: frame.ts,
    ...optional('clientMsgId', frame.clientMsgId, isString),
  };
}

function botInfo(value: unknown): BotInfo | undefined {
  return isObject(value) && isString(value.name) && (value.replies === 'addressed' || value.replies === 'all')
    ? { name: value.name, replies: value.replies }
    : undefined;
}

function source(item: unknown): Source | undefined {
  if (!isObject(item) || !isString(item.source)) return undefined;
  return {
    id: isString(item.id) ? item.id : item.source,
    title: isString(item.title) && item.title !== '' ? item.title : item.source,
    source: item.source,
    score: isNumber(item.score) ? item.score : 0,
    snippet: isString(item.snippet) ? item.snippet : '',
  };
}

function usage(value: unknown): Usage | undefined {
  return isObject(value) && isNumber(value.inputTokens) && isNumber(value.outputTokens)
    ? { inputTokens: value.inputTokens, outputTokens: value.outputTokens }
    : undefined;
}

function ai(frame: Json): AiFrame | undefined {
  if (!isString(frame.id)) return undefined;
  const head = { type: 'ai' as const, id: frame.id, room: isString(frame.room) ? frame.room : '' };
  const replyTo = isString(frame.replyTo) ? frame.replyTo : '';
  const ts = isNumber(frame.ts) ? frame.ts : 0;
  switch (frame.state) {
    case 'start': {
      if (!isTarget(frame.target)) return undefined;
      const start: AiStart = { ...head, state: 'start', replyTo, target: frame.target, model: isString(frame.model) ? frame.model : '', ts };
      return start;
    }
    case 'delta': {
      if (!isNumber(frame.seq) || !isString(frame.text)) return undefined;
      const delta: AiDelta = { ...head, state: 'delta', seq: frame.seq, ...optional('seqEnd', frame.seqEnd, isNumber), text: frame.text };
      return delta;
    }
    case 'end': {
      if (!isString(frame.text) || !isTarget(frame.target)) return undefined;
      const used = usage(frame.usage);
      const end: AiEnd = {
        ...head,
        state: 'end',
        replyTo,
        target: frame.target,
        model: isString(frame.model) ? frame.model : '',
        text: frame.text,
        ...(used ? { usage: used } : {}),
        firstTokenMs: isNumber(frame.firstTokenMs) ? frame.firstTokenMs : 0,
        ...optional('stopReason', frame.stopReason, isString),
        ...(Array.isArray(frame.sources) ? { sources: list(frame.sources, source) } : {}),
        ts,
      };
      return end;
    }
    case 'error': {
      const failure: AiError = {
        ...head,
        state: 'error',
        replyTo,
        code: isString(frame.code) ? frame.code : 'error',
        message: isString(frame.message) ? frame.message : 'The bot could not answer',
        text: isString(frame.text) ? frame.text : '',
        ...optional('target', frame.target, isTarget),
        ...optional('model', frame.model, isString),
        ts,
      };
      return failure;
    }
    default:
      return undefined;
  }
}

/** `hasMore`, and the `cursor` of the next older page only while there is one. */
function olderPages(frame: Json): { hasMore: boolean; cursor?: string } {
  const hasMore = frame.hasMore === true;
  return { hasMore, ...(hasMore ? optional('cursor', frame.cursor, isString) : {}) };
}

function historyMessage(value: unknown): HistoryMessage | undefined {
  if (!isObject(value)) return undefined;
  if (value.type === 'user') return user(value);
  if (value.type !== 'ai') return undefined;
  const frame = ai(value);
  return frame && (frame.state === 'end' || frame.state === 'error') ? frame : undefined;
}

/**
 * Parses one WebSocket message from the server: a frame, or a `batch` envelope of frames in order (fanout sends each
 * member one message per batch). Malformed frames are dropped; `undefined` when the message is not JSON at all.
 */
export function decodeServerMessage(data: string): ServerFrame[] | undefined {
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return undefined;
  }
  const frames = isObject(message) && message.type === 'batch' && Array.isArray(message.frames) ? message.frames : [message];
  return list(frames, decodeFrame);
}

function decodeFrame(frame: unknown): ServerFrame | undefined {
  if (!isObject(frame)) return undefined;
  // What API Gateway itself sends when an integration fails: {"message":"Internal server error",...}, no type.
  if (frame.type === undefined && isString(frame.message)) return { type: 'error', code: 'gateway', message: frame.message };
  const room = isString(frame.room) ? frame.room : '';
  const online = isNumber(frame.online) ? frame.online : 0;
  switch (frame.type) {
    case 'user':
      return user(frame);
    case 'typing': {
      const who = author(frame.author);
      if (!who || !isString(frame.text)) return undefined;
      return { type: 'typing', room, author: who, text: frame.text, ts: isNumber(frame.ts) ? frame.ts : 0 };
    }
    case 'system':
      return frame.event === 'notice' && isString(frame.text) && isNumber(frame.online)
        ? { type: 'system', room, event: 'notice', text: frame.text, online: frame.online }
        : undefined;
    case 'ai':
      return ai(frame);
    case 'welcome': {
      const you = author(frame.you);
      if (!you || !isString(frame.room)) return undefined;
      return {
        type: 'welcome',
        you,
        room,
        online,
        members: list(frame.members, author),
        history: list(frame.history, historyMessage),
        ...olderPages(frame),
        ...optional('bot', botInfo(frame.bot), (value): value is BotInfo => value !== undefined),
      };
    }
    case 'presence': {
      const presence: PresenceFrame = { type: 'presence', room, joined: list(frame.joined, author), left: list(frame.left, author), online };
      return presence;
    }
    case 'history':
      return { type: 'history', room, messages: list(frame.messages, historyMessage), ...olderPages(frame) };
    case 'error': {
      const error: ErrorFrame = {
        type: 'error',
        code: isString(frame.code) ? frame.code : 'error',
        message: isString(frame.message) ? frame.message : 'Something went wrong',
        ...optional('action', frame.action, isString),
        ...optional('clientMsgId', frame.clientMsgId, isString),
        ...optional('retryAfterMs', frame.retryAfterMs, isNumber),
      };
      return error;
    }
    default:
      return undefined;
  }
}
