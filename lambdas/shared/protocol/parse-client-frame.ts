import { CLIENT_ACTIONS, clientFrameSchema, type ClientAction, type ClientFrame } from './client-frames';
import { ERROR_CODES } from './error-codes';
import { LIMITS } from './limits';
import { ProtocolError } from './protocol-error';
import { codePointLength } from './text';

/** Turns a raw text frame into a valid client frame, or throws the ProtocolError its sender should see. */
export function parseClientFrame(body: string | null | undefined): ClientFrame {
  let value: unknown;
  try {
    value = JSON.parse(body ?? '');
  } catch {
    throw new ProtocolError(ERROR_CODES.badJson, 'Frame is not valid JSON; send a JSON object such as {"action":"join"}');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError(ERROR_CODES.invalid, 'Frame must be a JSON object with an "action"');
  }
  const { action, text } = value as { action?: unknown; text?: unknown };
  if (!isClientAction(action)) {
    const named =
      typeof action === 'string'
        ? `Unknown action "${action.slice(0, 40)}"`
        : action === undefined
          ? 'Missing "action"'
          : '"action" must be a string';
    throw new ProtocolError(ERROR_CODES.unknownAction, `${named}; use one of ${CLIENT_ACTIONS.join(', ')}`);
  }
  if (typeof text === 'string' && codePointLength(text) > LIMITS.textMaxLength) {
    throw new ProtocolError(
      ERROR_CODES.tooLong,
      `text is ${codePointLength(text)} characters; the limit is ${LIMITS.textMaxLength}`,
    );
  }
  const parsed = clientFrameSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'frame';
    throw new ProtocolError(ERROR_CODES.invalid, `${action}: ${field}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/**
 * What an error frame can echo from a frame that failed validation: the action, if it names a valid one, and the
 * `clientMsgId`, if it is a reasonable string, so a client can tell which of its sends failed.
 */
export function echoableFieldsOf(body: string | null | undefined): { action?: ClientAction; clientMsgId?: string } {
  let value: unknown;
  try {
    value = JSON.parse(body ?? '');
  } catch {
    return {};
  }
  const { action, clientMsgId } = (value ?? {}) as { action?: unknown; clientMsgId?: unknown };
  return {
    action: isClientAction(action) ? action : undefined,
    clientMsgId:
      typeof clientMsgId === 'string' && clientMsgId.length <= LIMITS.clientMsgIdMaxLength ? clientMsgId : undefined,
  };
}

function isClientAction(action: unknown): action is ClientAction {
  return typeof action === 'string' && (CLIENT_ACTIONS as readonly string[]).includes(action);
}
