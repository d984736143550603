import { logger } from '../shared/logger';
import { recordMetric } from '../shared/metrics';
import type { ClientFrame, ErrorFrame } from '../../contract/protocol';
import { ERROR_CODES } from '../shared/protocol/error-codes';
import { echoableFieldsOf, parseClientFrame } from '../shared/protocol/parse-client-frame';
import { ProtocolError } from '../shared/protocol/protocol-error';
import { ACTIONS, type FrameRequest, type MessageDeps, type Sender } from './actions';
import { admit, refuseIfStillLimited } from './admission';

/**
 * Validates one client frame and runs its action. Every failure ends as an `error` frame to the sender only; the
 * connection stays open and nobody else sees anything.
 */
export async function handleFrame(
  connectionId: string,
  body: string | undefined,
  isBase64Encoded: boolean,
  deps: MessageDeps,
  request: FrameRequest,
): Promise<void> {
  try {
    if (isBase64Encoded) {
      throw new ProtocolError(ERROR_CODES.badJson, 'Binary frames are not supported; send JSON text frames');
    }
    const frame = parseClientFrame(body);
    refuseIfStillLimited(frame.action, connectionId, deps.refusals);
    const connection = await deps.connections.get(connectionId);
    if (!connection) throw new ProtocolError(ERROR_CODES.notConnected, 'This connection is not registered; reconnect');
    await admit(frame.action, connection, deps.limiter, deps.refusals);
    await runAction(frame, { ...connection, ...request }, deps);
    if (frame.action === 'sendMessage') recordMetric('messagesAccepted');
  } catch (error) {
    await deps.poster.post(connectionId, errorFrameFor(error, body));
  }
}

function runAction(frame: ClientFrame, sender: Sender, deps: MessageDeps): Promise<void> {
  // The mapped type guarantees ACTIONS[frame.action] accepts this frame; TypeScript cannot correlate the two.
  const action = ACTIONS[frame.action] as (f: ClientFrame, s: typeof sender, d: MessageDeps) => Promise<void>;
  return action(frame, sender, deps);
}

function errorFrameFor(error: unknown, body: string | undefined): ErrorFrame {
  const { action, clientMsgId } = echoableFieldsOf(body);
  if (error instanceof ProtocolError) {
    // A flooding client is refused thousands of times a second: admission.ts logs once per refusal window, and the
    // rateLimited metric counts every refused frame.
    const level = error.code === ERROR_CODES.rateLimited ? 'debug' : 'info';
    logger[level]('Frame rejected', { code: error.code, action });
    const { retryAfterMs } = error;
    return { type: 'error', code: error.code, message: error.message, action, clientMsgId, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  logger.error('Action failed', { error, action });
  return {
    type: 'error',
    code: ERROR_CODES.unavailable,
    message: `The server could not process ${action ?? 'this frame'} right now; nothing was done. Please try again.`,
    action,
    clientMsgId,
  };
}
