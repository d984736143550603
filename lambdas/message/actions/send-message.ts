import type { ActionHandler } from './types';

/**
 * `sendMessage`: one record on the stream; fanout keeps it in history and delivers it to the whole room. Its id comes
 * from its place in the stream (stream-message-id.ts), so history sorts in the order the room saw it live. The record
 * also says who sent it (connection and address), for the bot's per-person budget; fanout never delivers that.
 */
export const sendMessage: ActionHandler<'sendMessage'> = async (frame, sender, deps) => {
  const ts = sender.receivedAt;
  await deps.bus.publish({
    v: 1,
    room: sender.room,
    frame: {
      type: 'user',
      room: sender.room,
      author: { id: sender.userId, name: sender.name },
      text: frame.text,
      ts,
      clientMsgId: frame.clientMsgId,
    },
    sender: { connectionId: sender.connectionId, sourceIp: sender.sourceIp },
  });
};
