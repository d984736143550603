/**
 * What each function setting means, in words: the text of the settings tables in README.md and docs/deploy.md
 * (`npm run docs`). Kept apart from settings.ts because every function bundle carries settings.ts (to read its own
 * settings) and none needs this text: only the docs generator and lib/ import it (test/lambdas/light-imports.test.ts).
 * Typed by `SettingName`, so a setting without a description (or a description of no setting) does not compile.
 */
import type { SettingName } from './settings';

export const SETTING_DESCRIPTIONS: Readonly<Record<SettingName, string>> = {
  allowedOrigins:
    "Comma-separated Origin allow-list for the WebSocket handshake; empty allows the page's own origin on AWS (its CloudFront address) and any origin locally. Clients that send no Origin (wscat, servers) are always allowed.",
  historyTtlDays:
    'Days a message stays in room history before DynamoDB expires it; 0 keeps it forever. Applies to messages written after the change.',
  fanoutConcurrency: 'Posts fanout keeps in flight at once per room while delivering a batch.',
  botTargets:
    'Ordered inference chain: the first target that gives a first token answers. npm start puts llama first when LLAMA_URL is set and bedrock when USE_BEDROCK=1, then offline.',
  bedrockModelId: 'Bedrock model or cross-region inference profile id the bot streams from (ConverseStream).',
  llamaUrl:
    'Base URL of the OpenAI-compatible llama server (llama.cpp, vLLM, Ollama), e.g. a Tailscale address; empty for none.',
  llamaModel: 'Model name sent to the llama server.',
  llamaApiKeySecret: 'Secrets Manager secret holding the llama server API key (sent as a Bearer token); empty for none.',
  llamaProxyUrl:
    'HTTP proxy for llama traffic; empty for none (with tailscale=true the stack sets it to tailscaled).',
  botReplies:
    'Which messages the bot answers: addressed (those that mention @bot or @<botName>, or reply to one of its answers) or all. Messages it does not answer never reach the bot function.',
  botName:
    'The name people address the bot by (@name, besides @bot); nobody may connect with it. 1-32 letters, digits, - or _.',
  botSystemPrompt: 'The system prompt; retrieved passages are appended to it.',
  botMaxOutputTokens: 'Longest answer, in tokens.',
  botDeltaWindowMs:
    'Streamed text is coalesced into at most one delta per this many milliseconds, unless botDeltaMaxChars are waiting.',
  botDeltaMaxChars: 'A delta goes out early once this many characters are waiting.',
  botOfflineDelayMs:
    'Pause between the word-sized deltas of the offline target (no model), in milliseconds, so the answer is seen to grow; 0 streams it at once.',
  botFirstTokenTimeoutMs: 'A target that gives no first token in this many milliseconds is abandoned for the next.',
  botAnswersPerRoomPerMinute:
    'Bot answers allowed per room per minute; over it the room gets a notice instead (0 turns the bot off).',
  botAnswersPerMinute: 'Bot answers allowed per minute across all rooms.',
  botAnswersPerConnectionPerMinute:
    "Bot answers one connection's messages may take per minute; over it only that person gets a notice, and the room's and overall budgets are untouched.",
  botAnswersPerSourceIpPerMinute:
    'Bot answers the messages from one source IP address may take per minute, across all its connections and rooms (people behind one NAT share it).',
  pineconeIndexHost:
    'Host of the Pinecone index the bot retrieves passages from; empty turns retrieval off (npm start then serves its own index, loaded with knowledge/).',
  pineconeNamespace: 'Pinecone namespace of the knowledge base.',
  pineconeApiKeySecret: 'Secrets Manager secret holding the Pinecone API key (plain, or JSON with an apiKey field).',
  embedder:
    'How questions and passages are embedded: titan (Bedrock Titan Text Embeddings V2) or offline (no model, no network). Ingest with the same one.',
  embeddingModelId: 'Bedrock embedding model used when embedder is titan (1024 dimensions, normalized).',
  retrievalTopK: 'Passages retrieved per question.',
  retrievalMinScore:
    'Matches scoring below this (cosine similarity) are not used; measured for the offline embedder (npm run bench:recall), re-measure for Titan.',
  logLevel: 'Powertools logger level.',
  metricsDisabled:
    "Leaves out the functions' CloudWatch metrics (Powertools EMF lines on stdout), which the alarms and dashboard read (docs/operations.md). npm start leaves them out to keep its console readable; POWERTOOLS_METRICS_DISABLED=false npm start prints them.",
  messageRatePerSecond: 'Messages one connection may send per second, sustained; faster ones get error rate_limited.',
  messageBurst: 'Messages one connection may send back to back before messageRatePerSecond applies.',
  draftRatePerSecond:
    'Draft (typing) updates one connection may send per second, sustained; faster ones get error rate_limited.',
  draftBurst: 'Draft updates one connection may send back to back before draftRatePerSecond applies.',
};
