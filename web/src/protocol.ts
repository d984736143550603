/**
 * The frames of wire protocol v1 (docs/protocol.md) as the page sees them, with a small decoder that drops anything
 * malformed. The page keeps its own decoder rather than the Lambdas' zod schemas: it is a few hundred bytes instead of
 * tens of kilobytes of zod in the bundle.
 */

export interface Author {
  id: string;
  name: string;
}

export interface UserMessage {
  type: 'user';
  id: string;
  room: string;
  author: Author;
  text: string;
  ts: number;
  clientMsgId?: string;
}

export interface TypingFrame {
  type: 'typing';
  author: Author;
  text: string;
}

export interface SystemFrame {
  type: 'system';
  /** `join` / `leave` for presence; other events (e.g. from the bot's cost guard) carry a human `message`. */
  event: string;
  name?: string;
  online?: number;
  message?: string;
}

export interface Source {
  title: string;
  source: string;
  snippet?: string;
}

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
}

/** The bot's frames, one answer per `id`. History holds each answer once, as its `end` or `error` frame. */
export type AiFrame =
  | { type: 'ai'; state: 'start'; id: string; replyTo?: string; target?: string; model?: string; ts?: number }
  /** A merged delta covers seq..seqEnd (fanout joins an answer's consecutive deltas within one batch). */
  | { type: 'ai'; state: 'delta'; id: string; seq: number; seqEnd?: number; text: string }
  | {
      type: 'ai';
      state: 'end';
      id: string;
      text: string;
      replyTo?: string;
      target?: string;
      model?: string;
      ts?: number;
      usage?: Usage;
      firstTokenMs?: number;
      stopReason?: string;
      sources?: Source[];
    }
  | { type: 'ai'; state: 'error'; id: string; code: string; message: string; text: string; replyTo?: string; ts?: number };

/** What room history holds. */
export type HistoryMessage = UserMessage | Extract<AiFrame, { state: 'end' | 'error' }>;

/** Who joined and left since the last presence frame, and how many are online now. */
export interface PresenceFrame {
  type: 'presence';
  joined: Author[];
  left: Author[];
  online: number;
}

export interface WelcomeFrame {
  type: 'welcome';
  you: Author;
  room: string;
  online: number;
  /** Who is online (at most 100 of them); older servers send none. */
  members: Author[];
  history: HistoryMessage[];
  /** Pass as `before` to get older messages; absent when there are none. */
  cursor?: string;
}

export interface HistoryFrame {
  type: 'history';
  messages: HistoryMessage[];
  hasMore: boolean;
  /** Pass as `before` to get the next older page; absent when there is none. */
  cursor?: string;
}

export interface ErrorFrame {
  type: 'error';
  code: string;
  message: string;
  action?: string;
  clientMsgId?: string;
  /** With `rate_limited`: when sending works again. */
  retryAfterMs?: number;
}

export type ServerFrame = UserMessage | TypingFrame | SystemFrame | PresenceFrame | AiFrame | WelcomeFrame | HistoryFrame | ErrorFrame;

export type ClientFrame =
  | { action: 'join' }
  | { action: 'sendMessage'; text: string; clientMsgId?: string }
  | { action: 'typing'; text: string }
  | { action: 'history'; before?: string; limit?: number };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const optional = <T>(value: unknown, guard: (v: unknown) => v is T): T | undefined => (guard(value) ? value : undefined);

function author(value: unknown): Author | undefined {
  return isObject(value) && isString(value.id) && isString(value.name) ? { id: value.id, name: value.name } : undefined;
}

function user(frame: Json): UserMessage | undefined {
  const who = author(frame.author);
  if (!who || !isString(frame.id) || !isString(frame.text) || !isNumber(frame.ts)) return undefined;
  return {
    type: 'user',
    id: frame.id,
    room: String(frame.room ?? ''),
    author: who,
    text: frame.text,
    ts: frame.ts,
    clientMsgId: optional(frame.clientMsgId, isString),
  };
}

function sources(value: unknown): Source[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isObject).map((item) => ({
    title: isString(item.title) && item.title !== '' ? item.title : String(item.source ?? item.id ?? 'source'),
    source: isString(item.source) ? item.source : '',
    snippet: optional(item.snippet, isString),
  }));
}

function usage(value: unknown): Usage | undefined {
  if (!isObject(value)) return undefined;
  return { inputTokens: optional(value.inputTokens, isNumber), outputTokens: optional(value.outputTokens, isNumber) };
}

function ai(frame: Json): AiFrame | undefined {
  if (!isString(frame.id)) return undefined;
  const { id } = frame;
  const common = { replyTo: optional(frame.replyTo, isString), ts: optional(frame.ts, isNumber) };
  switch (frame.state) {
    case 'start':
      return { type: 'ai', state: 'start', id, ...common, target: optional(frame.target, isString), model: optional(frame.model, isString) };
    case 'delta':
      if (!isNumber(frame.seq) || !isString(frame.text)) return undefined;
      return { type: 'ai', state: 'delta', id, seq: frame.seq, seqEnd: optional(frame.seqEnd, isNumber), text: frame.text };
    case 'end':
      if (!isString(frame.text)) return undefined;
      return {
        type: 'ai',
        state: 'end',
        id,
        ...common,
        text: frame.text,
        target: optional(frame.target, isString),
        model: optional(frame.model, isString),
        usage: usage(frame.usage),
        firstTokenMs: optional(frame.firstTokenMs, isNumber),
        stopReason: optional(frame.stopReason, isString),
        sources: sources(frame.sources),
      };
    case 'error':
      return {
        type: 'ai',
        state: 'error',
        id,
        ...common,
        code: isString(frame.code) ? frame.code : 'error',
        message: isString(frame.message) ? frame.message : 'The bot could not answer',
        text: isString(frame.text) ? frame.text : '',
      };
    default:
      return undefined;
  }
}

function cursorOf(frame: Json): string | undefined {
  return frame.hasMore === true ? optional(frame.cursor, isString) : undefined;
}

function historyMessage(value: unknown): HistoryMessage | undefined {
  if (!isObject(value)) return undefined;
  if (value.type === 'user') return user(value);
  if (value.type === 'ai') {
    const frame = ai(value);
    return frame && (frame.state === 'end' || frame.state === 'error') ? frame : undefined;
  }
  return undefined;
}

function authors(value: unknown): Author[] {
  return Array.isArray(value) ? value.map(author).filter((a): a is Author => a !== undefined) : [];
}

function historyMessages(value: unknown): HistoryMessage[] {
  return Array.isArray(value) ? value.map(historyMessage).filter((m): m is HistoryMessage => m !== undefined) : [];
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
  return frames.map(decodeFrame).filter((frame): frame is ServerFrame => frame !== undefined);
}

function decodeFrame(frame: unknown): ServerFrame | undefined {
  if (!isObject(frame)) return undefined;
  // What API Gateway itself sends when an integration fails: {"message":"Internal server error",...}, no type.
  if (frame.type === undefined && isString(frame.message)) return { type: 'error', code: 'gateway', message: frame.message };
  switch (frame.type) {
    case 'user':
      return user(frame);
    case 'typing': {
      const who = author(frame.author);
      return who && isString(frame.text) ? { type: 'typing', author: who, text: frame.text } : undefined;
    }
    case 'system':
      return isString(frame.event)
        ? {
            type: 'system',
            event: frame.event,
            name: optional(frame.name, isString),
            online: optional(frame.online, isNumber),
            message: optional(frame.message, isString) ?? optional(frame.text, isString),
          }
        : undefined;
    case 'ai':
      return ai(frame);
    case 'welcome': {
      const you = author(frame.you);
      if (!you || !isString(frame.room)) return undefined;
      const online = isNumber(frame.online) ? frame.online : 0;
      return { type: 'welcome', you, room: frame.room, online, members: authors(frame.members), history: historyMessages(frame.history), cursor: cursorOf(frame) };
    }
    case 'presence':
      return { type: 'presence', joined: authors(frame.joined), left: authors(frame.left), online: isNumber(frame.online) ? frame.online : 0 };
    case 'history':
      return { type: 'history', messages: historyMessages(frame.messages), hasMore: frame.hasMore === true, cursor: cursorOf(frame) };
    case 'error':
      return {
        type: 'error',
        code: isString(frame.code) ? frame.code : 'error',
        message: isString(frame.message) ? frame.message : 'Something went wrong',
        action: optional(frame.action, isString),
        clientMsgId: optional(frame.clientMsgId, isString),
        retryAfterMs: optional(frame.retryAfterMs, isNumber),
      };
    default:
      return undefined;
  }
}
