import { mentionsBot } from '../mentions-bot';
import type { ActionHandler, MessageDeps } from './types';

/**
 * `sendMessage`: one record on the stream; fanout keeps it in history and delivers it to the whole room. Its id comes
 * from its place in the stream (stream-message-id.ts), so history sorts in the order the room saw it live. The record
 * also says who sent it (connection and address), for the bot's per-person budget, and whether it asks the bot
 * (`askBot`, which the bot's event source filter selects); fanout delivers neither.
 */
export const sendMessage: ActionHandler<'sendMessage'> = async (frame, sender, deps) => {
  const ts = sender.receivedAt;
  const askBot = await asksBot(frame.text, frame.replyTo, deps);
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
      ...(frame.replyTo === undefined ? {} : { replyTo: frame.replyTo }),
    },
    sender: { connectionId: sender.connectionId, sourceIp: sender.sourceIp },
    ...(askBot ? { askBot } : {}),
  });
};

/**
 * Whether the bot answers this message (settings botReplies, botName): every message, or one that mentions it or
 * replies to one of its answers. Only a reply costs a read (one key in the botAnswers table).
 */
async function asksBot(text: string, replyTo: string | undefined, deps: MessageDeps): Promise<boolean> {
  if (deps.bot.replies === 'all' || mentionsBot(text, deps.bot.name)) return true;
  return replyTo !== undefined && (await deps.answers.isAnswer(replyTo));
}
