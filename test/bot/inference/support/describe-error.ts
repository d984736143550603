import { InferenceError } from '../../../../lambdas/bot/inference/errors';

/** The parts of a thrown error a test asserts on: class, stable code and message. */
export function describeError(error: unknown): { name: string; code?: string; message: string } {
  if (error instanceof InferenceError) return { name: error.name, code: error.code, message: error.message };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: String(error) };
}
