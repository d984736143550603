import type { ClientFrame } from '../../../contract/protocol';
import { history } from './history';
import { join } from './join';
import { sendMessage } from './send-message';
import { stopAnswer } from './stop-answer';
import type { ActionHandler } from './types';
import { typing } from './typing';

export type { FrameRequest, MessageDeps, Sender } from './types';

export const ACTIONS: { [A in ClientFrame['action']]: ActionHandler<A> } = { join, sendMessage, typing, history, stopAnswer };
