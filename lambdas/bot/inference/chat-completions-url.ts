import { httpUrl } from './http-url';

/**
 * The chat completions endpoint under an OpenAI-compatible server's base URL: `{baseUrl}/v1/chat/completions`, or
 * `{baseUrl}/chat/completions` when the base URL already ends in `/v1` (as Ollama's docs write it).
 * Throws a TypeError naming the problem when `baseUrl` is not an http(s) URL.
 */
export function chatCompletionsUrl(baseUrl: string): string {
  const url = httpUrl('llama baseUrl', baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith('/v1') ? `${path}/chat/completions` : `${path}/v1/chat/completions`;
  return url.toString();
}
