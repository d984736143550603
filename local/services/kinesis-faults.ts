import { randomUUID } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listen } from '../listen';

/** What Kinesis answers in each failure a test can inject into PutRecord / PutRecords (status, `__type`, message). */
export const KINESIS_FAULTS = {
  /** The shard's write limit (1,000 records/s or 1 MB/s) is exceeded: the SDK retries it as throttling. */
  throttled: { status: 400, type: 'ProvisionedThroughputExceededException', message: 'Rate exceeded for shard shardId-000000000000 in stream under account 000000000000.' },
  /** A server-side failure: the SDK retries it as a transient error. */
  internal: { status: 500, type: 'InternalFailure', message: null },
  /** No answer at all until the faults are cleared (the caller's timeout decides). */
  hang: { status: 0, type: '', message: null },
} as const;
export type KinesisFaultKind = keyof typeof KINESIS_FAULTS;

export interface KinesisFaultRule {
  kind: KinesisFaultKind;
  /** Only calls from these functions (by topology name). @default every function */
  functions?: readonly string[];
  /** Only calls carrying a record whose data (as text) passes this test. @default every call */
  when?: (data: string) => boolean;
  /** Only the next `times` matching calls (each SDK attempt is a call). @default until cleared */
  times?: number;
}

const WRITE_TARGETS = new Set(['Kinesis_20131202.PutRecord', 'Kinesis_20131202.PutRecords']);

/**
 * Injected failures for the functions' Kinesis writes (tests only). With fault injection on, each function reaches
 * Kinesis through its own small proxy, which forwards everything to kinesalite except the PutRecord / PutRecords calls
 * a rule matches: those get Kinesis's own error answer, so the SDK raises (and retries) exactly what it would in AWS.
 */
export class KinesisFaults {
  private rules: (KinesisFaultRule & { remaining: number | undefined })[] = [];
  private readonly held = new Set<ServerResponse>();
  private heldWaiters: (() => void)[] = [];
  private readonly proxies: Server[] = [];
  /** Calls answered with an injected fault (or held) since the last `clear()`. */
  public injected = 0;

  public constructor(private readonly enabled: boolean) {}

  /** Fails the matching PutRecord / PutRecords calls; returns nothing to undo but `clear()`. */
  public failPutRecords(rule: KinesisFaultRule): void {
    if (!this.enabled) throw new Error('Kinesis faults need the local runtime started with faultInjection: true');
    this.rules.push({ ...rule, remaining: rule.times });
  }

  /** Resolves when a call is held by a `hang` rule: at once if one is held now, else at the next. */
  public whenHeld(): Promise<void> {
    if (this.held.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.heldWaiters.push(resolve));
  }

  /** Removes every rule and lets held (hung) calls fail as dropped connections. */
  public clear(): void {
    this.rules = [];
    this.injected = 0;
    for (const response of this.held) response.destroy();
    this.held.clear();
  }

  /** Starts the proxy one function reaches Kinesis through; resolves with its endpoint. */
  public async proxyFor(functionName: string, kinesisEndpoint: string): Promise<string> {
    const upstream = new URL(kinesisEndpoint);
    const agent = new Agent({ keepAlive: true });
    const server = createServer((request, response) => {
      void this.handle(functionName, request, response, upstream, agent).catch(() => response.destroy());
    });
    server.on('close', () => agent.destroy());
    this.proxies.push(server);
    return `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  }

  public async stop(): Promise<void> {
    this.clear();
    await Promise.all(
      this.proxies.splice(0).map((server) => {
        server.closeAllConnections();
        return closeServer(server);
      }),
    );
  }

  private async handle(functionName: string, request: IncomingMessage, response: ServerResponse, upstream: URL, agent: Agent): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const target = String(request.headers['x-amz-target'] ?? '');
    const rule = WRITE_TARGETS.has(target) ? this.take(functionName, body) : undefined;
    if (rule?.kind === 'hang') {
      this.held.add(response);
      for (const resolve of this.heldWaiters.splice(0)) resolve();
      return;
    }
    if (rule) {
      const fault = KINESIS_FAULTS[rule.kind];
      response
        .writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() })
        .end(JSON.stringify({ __type: fault.type, message: fault.message }));
      return;
    }
    const forwarded = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: request.headers, agent },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => response.destroy());
    forwarded.end(body);
  }

  private take(functionName: string, body: Buffer): KinesisFaultRule | undefined {
    const data = recordData(body);
    const rule = this.rules.find(
      (candidate) =>
        (candidate.functions === undefined || candidate.functions.includes(functionName)) &&
        (candidate.when === undefined || data.some(candidate.when)),
    );
    if (!rule) return undefined;
    this.injected += 1;
    if (rule.remaining !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.rules = this.rules.filter((candidate) => candidate !== rule);
    }
    return rule;
  }
}

/** The data of every record a PutRecord / PutRecords body carries, as text. */
function recordData(body: Buffer): string[] {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { Data?: string; Records?: { Data?: string }[] };
    const encoded = parsed.Records ? parsed.Records.map((record) => record.Data) : [parsed.Data];
    return encoded.map((data) => Buffer.from(data ?? '', 'base64').toString('utf8'));
  } catch {
    return [];
  }
}
