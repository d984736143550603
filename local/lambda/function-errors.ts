/** The function threw (or its promise rejected): Lambda reports this as a function error. */
export class FunctionError extends Error {
  public constructor(
    public readonly functionName: string,
    public readonly errorType: string,
    message: string,
  ) {
    super(`${functionName} failed: ${errorType}: ${message}`);
    this.name = 'FunctionError';
  }
}

/** The invocation ran past the function's timeout; its execution environment was discarded. */
export class FunctionTimeoutError extends Error {
  public constructor(functionName: string, timeoutSeconds: number) {
    super(`${functionName} timed out after ${timeoutSeconds} s`);
    this.name = 'FunctionTimeoutError';
  }
}
