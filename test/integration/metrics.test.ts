// The functions' metrics through the real path: the shipped bundles in the local runtime write CloudWatch EMF lines
// (namespace, dimensions and names from contract/metrics.ts) that add up to exactly what the clients saw.
import { METRICS, METRICS_NAMESPACE, type MetricName } from '../../contract';
import { ChatClient, userMessage, type Frame } from '../support/chat-client';
import { startLocalChat, type LocalChat } from '../support/local-chat';

let chat: LocalChat;
const clients: ChatClient[] = [];

beforeAll(async () => {
  chat = await startLocalChat({
    settings: { metricsDisabled: 'false', botTargets: 'offline', messageRatePerSecond: '1', messageBurst: '1' },
  });
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await chat.dispose();
});

interface EmfLine {
  readonly function: string;
  readonly document: Record<string, unknown> & {
    _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  };
}

/** Every EMF document the functions wrote (`[fanout] {"_aws":...}`). */
function emfLines(): EmfLine[] {
  return chat.logs.flatMap((line) => {
    const match = /^\[(\w+)\] (\{"_aws".*)$/.exec(line);
    return match ? [{ function: match[1] as string, document: JSON.parse(match[2] as string) as EmfLine['document'] }] : [];
  });
}

/** The sum of a metric over every line with exactly these dimension values (besides `service`). */
function total(metric: MetricName, dimensions: Record<string, string> = {}): number {
  const spec = METRICS[metric];
  return emfLines()
    .filter(({ document }) => document.service === `chat-${spec.emittedBy}` && spec.name in document)
    .filter(({ document }) => {
      const declared = document._aws.CloudWatchMetrics[0]?.Dimensions[0] ?? [];
      return declared.length === 1 + Object.keys(dimensions).length &&
        Object.entries(dimensions).every(([key, value]) => document[key] === value);
    })
    .flatMap(({ document }) => [document[spec.name]].flat() as number[])
    .reduce((sum, value) => sum + value, 0);
}

/** Resolves when `condition` holds, checking as each log line arrives (the EMF line follows the frames it counts). */
async function until(condition: () => boolean, describe: () => unknown): Promise<void> {
  for (let waited = 0; !condition(); waited += 1) {
    if (waited > 400) throw new Error(`Metrics never matched: ${JSON.stringify(describe())}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

it('writes EMF in the contract namespace with the service dimension, from the function that owns each metric', async () => {
  const { client: ann } = await ChatClient.join(chat.webSocketUrl, { room: 'metrics-room', name: 'Ann' });
  const { client: bob } = await ChatClient.join(chat.webSocketUrl, { room: 'metrics-room', name: 'Bob' });
  clients.push(ann, bob);

  ann.send({ action: 'sendMessage', text: '@bot how do I deploy?' });
  const question = await bob.next(userMessage('@bot how do I deploy?'));
  const isEnd = (frame: Frame) => frame.type === 'ai' && frame.state === 'end' && frame.replyTo === question.id;
  const [end] = await Promise.all([ann.next(isEnd, 30_000), bob.next(isEnd, 30_000)]);

  const latencyValues = () => emfLines().flatMap(({ document }) => [document[METRICS.firstTokenLatency.name] ?? []].flat() as number[]);
  // Each dimension set is its own EMF line, and lines arrive one by one: wait for the latency's line too.
  await until(
    () => total('messagesAccepted') === 1 && total('answers', { target: 'offline' }) === 1 && latencyValues().length > 0,
    () => emfLines().map(({ document }) => document),
  );
  for (const { function: name, document } of emfLines()) {
    const [directive] = document._aws.CloudWatchMetrics;
    expect({ name, namespace: directive?.Namespace, service: document.service }).toStrictEqual({
      name,
      namespace: METRICS_NAMESPACE,
      service: `chat-${name}`,
    });
    for (const metric of directive?.Metrics ?? []) {
      const spec = Object.values(METRICS).find((candidate) => candidate.name === metric.Name);
      expect({ metric: metric.Name, unit: metric.Unit, by: name }).toStrictEqual({
        metric: metric.Name,
        unit: spec?.unit,
        by: spec?.emittedBy,
      });
    }
  }
  expect(total('answersFailed')).toBe(0);
  expect(total('budgetExhausted')).toBe(0);
  // One latency value, for this answer: never negative, never longer than the answer took to arrive here.
  const latencies = latencyValues();
  expect(latencies).toHaveLength(1);
  expect(latencies[0]).toBeGreaterThanOrEqual(0);
  expect(end?.firstTokenMs).toBe(latencies[0]);
});

it('counts fanout posts as the WebSocket messages members received from fanout', async () => {
  const { client: cat } = await ChatClient.join(chat.webSocketUrl, { room: 'posts-room', name: 'Cat' });
  const { client: dan } = await ChatClient.join(chat.webSocketUrl, { room: 'posts-room', name: 'Dan' });
  clients.push(cat, dan);
  cat.send({ action: 'sendMessage', text: '@bot posts, counted' });
  // The bot's answer follows; once it has ended everywhere, nothing more is on its way to this room.
  const isEnd = (frame: Frame) => frame.type === 'ai' && frame.state === 'end';
  await Promise.all([cat.next(isEnd, 30_000), dan.next(isEnd, 30_000)]);

  // Everything every client received since the start, except what the message function sent (welcome).
  const fromFanout = () => clients.reduce((sum, client) => sum + client.messages.filter((m) => m.type !== 'welcome').length, 0);
  await until(() => total('posts') === fromFanout(), () => ({ posts: total('posts'), received: fromFanout() }));
  expect(total('postFailures')).toBe(0);
  expect(total('goneConnections')).toBe(0);
});

it('counts every refused message as RateLimited in the messages bucket and every other as MessagesAccepted', async () => {
  const { client: eve } = await ChatClient.join(chat.webSocketUrl, { room: 'limits-room', name: 'Eve' });
  const { client: fay } = await ChatClient.join(chat.webSocketUrl, { room: 'limits-room', name: 'Fay' });
  clients.push(eve, fay);
  const acceptedBefore = total('messagesAccepted');
  // One message a second with a burst of one: of ten sent at once, nearly all are refused.
  const texts = Array.from({ length: 10 }, (_, i) => `burst ${i}`);
  for (const text of texts) eve.send({ action: 'sendMessage', text });
  const refused = () => eve.frames.filter((frame) => frame.type === 'error' && frame.code === 'rate_limited').length;
  const accepted = () => fay.frames.filter((frame) => frame.type === 'user' && texts.includes(String(frame.text))).length;
  await until(() => refused() + accepted() === texts.length, () => eve.frames);

  expect(refused()).toBeGreaterThan(0);
  await until(
    () => total('rateLimited', { bucket: 'messages' }) === refused() && total('messagesAccepted') - acceptedBefore === accepted(),
    () => ({ refused: refused(), accepted: accepted(), counted: total('rateLimited', { bucket: 'messages' }) }),
  );
  expect(total('rateLimited', { bucket: 'drafts' })).toBe(0);
});
