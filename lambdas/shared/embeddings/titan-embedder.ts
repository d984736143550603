import { type BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import * as z from 'zod/mini';
import { mapWithConcurrency } from '../map-with-concurrency';
import { bedrockEmbeddingsRuntime } from '../aws/bedrock-runtime-client';
import { TITAN_DEFAULTS, type TitanDimensions } from './titan-defaults';
import type { Embedder } from './embedder';

export interface TitanEmbedderProps {
  /**
   * Retries are the client's: give one with the SDK's retry strategy.
   * @default - the shared embeddings client of `region` (keep-alive, the SDK's standard retries, TITAN_DEFAULTS.maxAttempts)
   */
  readonly client?: BedrockRuntimeClient;
  /** Used only when no client is given. @default - AWS_REGION */
  readonly region?: string;
  /** @default 'amazon.titan-embed-text-v2:0' */
  readonly modelId?: string;
  /** @default 1024 */
  readonly dimensions?: TitanDimensions;
  /** Calls in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Longer texts are cut to this many characters. @default 50000 (see TITAN_DEFAULTS.maxInputChars) */
  readonly maxInputChars?: number;
}

const titanResponseSchema = z.object({ embedding: z.array(z.number()), inputTextTokenCount: z.number() });

function integerAtLeast(min: number, name: string, value: number): number {
  if (!Number.isInteger(value) || value < min) throw new TypeError(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

/** Cuts `text` to `max` UTF-16 units without leaving half of a surrogate pair at the end. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** The stand-in error for texts skipped after another text failed. */
class Skipped extends Error {}

/**
 * Amazon Titan Text Embeddings V2 through InvokeModel: one text per call (the model takes one), `concurrency` calls in
 * flight, normalized vectors (cosine similarity is then a dot product). Throttling and unavailability are retried by
 * the client's retry strategy; the error that ends the retries is thrown unchanged (the SDK's named exceptions), and
 * the remaining texts are then not sent.
 */
export class TitanEmbedder implements Embedder {
  public readonly name: string;
  public readonly dimensions: TitanDimensions;
  private readonly modelId: string;
  private readonly client: BedrockRuntimeClient;
  private readonly concurrency: number;
  private readonly maxInputChars: number;

  public constructor(props: TitanEmbedderProps = {}) {
    this.modelId = props.modelId ?? TITAN_DEFAULTS.modelId;
    this.dimensions = props.dimensions ?? TITAN_DEFAULTS.dimensions;
    if (![256, 512, 1024].includes(this.dimensions)) {
      throw new TypeError(`Titan dimensions must be 256, 512 or 1024, got ${this.dimensions}`);
    }
    this.name = `${this.modelId}/${this.dimensions}`;
    this.client = props.client ?? bedrockEmbeddingsRuntime(props.region, TITAN_DEFAULTS.maxAttempts);
    this.concurrency = integerAtLeast(1, 'concurrency', props.concurrency ?? TITAN_DEFAULTS.concurrency);
    this.maxInputChars = integerAtLeast(1, 'maxInputChars', props.maxInputChars ?? TITAN_DEFAULTS.maxInputChars);
  }

  public async embed(texts: readonly string[]): Promise<number[][]> {
    texts.forEach((text, index) => {
      if (text.trim() === '') throw new TypeError(`Text ${index} is empty: Titan cannot embed an empty text`);
    });
    let failed = false;
    const results = await mapWithConcurrency(texts, this.concurrency, async (text) => {
      if (failed) throw new Skipped();
      try {
        return await this.embedOne(text);
      } catch (error) {
        failed = true;
        throw error;
      }
    });
    const failure = results.find(
      (result): result is PromiseRejectedResult => result.status === 'rejected' && !(result.reason instanceof Skipped),
    );
    if (failure) throw failure.reason;
    return results.map((result) => (result as PromiseFulfilledResult<number[]>).value);
  }

  private async embedOne(text: string): Promise<number[]> {
    const body = JSON.stringify({ inputText: truncate(text, this.maxInputChars), dimensions: this.dimensions, normalize: true });
    const command = new InvokeModelCommand({ modelId: this.modelId, contentType: 'application/json', accept: 'application/json', body });
    const response = await this.client.send(command);
    return this.vectorOf(new TextDecoder().decode(response.body));
  }

  private vectorOf(body: string): number[] {
    const parsed = titanResponseSchema.safeParse(JSON.parse(body));
    if (!parsed.success) throw new Error(`Unexpected Titan response: ${body.slice(0, 200)}`);
    const { embedding } = parsed.data;
    if (embedding.length !== this.dimensions) {
      throw new Error(`Titan returned ${embedding.length} dimensions, expected ${this.dimensions}`);
    }
    return embedding;
  }
}
