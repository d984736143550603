import { z } from 'zod';
import { broadcastFrameSchema, type BroadcastFrame, type HistoryMessage } from './protocol';

/** One record on the events stream: a frame to broadcast to a room. Partition key = room. */
export const busEventSchema = z.object({
  v: z.literal(1),
  room: z.string(),
  frame: broadcastFrameSchema,
  /** A connection that must not receive this frame (the typist, the person joining). */
  exclude: z.string().optional(),
});
export type BusEvent = z.infer<typeof busEventSchema>;

/** Frames that are kept in room history: people's messages and the bot's final answers. */
export function isHistoryFrame(frame: BroadcastFrame): frame is HistoryMessage {
  return frame.type === 'user' || (frame.type === 'ai' && (frame.state === 'end' || frame.state === 'error'));
}
