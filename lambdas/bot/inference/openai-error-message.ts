/**
 * The human message in an OpenAI-style error body: `{"error":{"message":...}}` (OpenAI, llama.cpp, vLLM),
 * `{"error":"..."}` (Ollama) or `{"message":...}` / `{"detail":...}` (other servers and proxies).
 */
export function openAiErrorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body === '' ? undefined : body;
  if (typeof body !== 'object' || body === null) return undefined;
  const { error, message, detail } = body as { error?: unknown; message?: unknown; detail?: unknown };
  if (error !== undefined) return openAiErrorMessage(error) ?? JSON.stringify(error);
  if (typeof message === 'string') return message;
  if (typeof detail === 'string') return detail;
  return undefined;
}
