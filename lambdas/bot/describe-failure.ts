import { AllTargetsFailedError } from './inference/all-targets-failed-error';
import { InferenceError } from './inference/errors';

/** The code and human message an `ai` error frame carries for a failure. */
export function describeFailure(error: unknown): { code: string; message: string } {
  if (error instanceof AllTargetsFailedError) {
    return { code: 'unavailable', message: `No model could answer right now (${error.message}). Please try again.` };
  }
  if (error instanceof InferenceError) {
    return { code: error.code, message: `The answer was interrupted: ${error.message}` };
  }
  return { code: 'internal', message: 'The bot failed while answering. Please try again.' };
}
