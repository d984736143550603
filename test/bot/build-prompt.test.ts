import { buildPrompt, MAX_CONVERSATION_CHARS } from '../../lambdas/bot/build-prompt';
import type { AiEnd, UserFrame } from '../../contract/protocol';

const user = (id: string, name: string, text: string): UserFrame => ({
  type: 'user',
  id,
  room: 'r',
  author: { id: `u-${name}`, name },
  text,
  ts: 1,
});
const answer = (id: string, text: string): AiEnd => ({
  type: 'ai',
  state: 'end',
  id,
  room: 'r',
  replyTo: 'x',
  target: 'offline',
  model: 'offline',
  text,
  firstTokenMs: 1,
  ts: 2,
});

describe('buildPrompt', () => {
  it('keeps who said what, the bot as the assistant, and ends with the questions', () => {
    const prompt = buildPrompt(
      'Be brief.',
      [user('1', 'Mia', 'hi all'), answer('2', 'Hello Mia!'), user('3', 'Ole', 'how do I deploy?')],
      [user('4', 'Mia', 'and locally?'), user('5', 'Ole', 'also tests?')],
      [],
    );

    expect(prompt).toStrictEqual({
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Mia: hi all' },
        { role: 'assistant', content: 'Hello Mia!' },
        { role: 'user', content: 'Ole: how do I deploy?' },
        { role: 'user', content: 'Mia: and locally?' },
        { role: 'user', content: 'Ole: also tests?' },
      ],
    });
  });

  it('drops the oldest turns past the input cap, and never starts with the assistant', () => {
    const long = 'x'.repeat(MAX_CONVERSATION_CHARS / 3);
    const history = [user('1', 'A', long), answer('2', long), user('3', 'B', long), answer('4', 'short')];

    const prompt = buildPrompt('S', history, [user('5', 'C', 'question')], []);

    expect(prompt.messages.map((turn) => turn.content.slice(0, 4))).toStrictEqual(['B: x', 'shor', 'C: q']);
    expect(prompt.messages.reduce((sum, turn) => sum + turn.content.length, 0)).toBeLessThanOrEqual(MAX_CONVERSATION_CHARS);
  });

  it('puts retrieved passages after the system prompt, numbered', () => {
    const prompt = buildPrompt('S', [], [user('1', 'A', 'deploy?')], [
      { n: 1, id: 'c1', title: 'Deploy', source: 'knowledge/deploy.md', score: 0.8, snippet: 'npx cdk deploy', text: 'Run npx cdk deploy.' },
    ]);

    expect(prompt.system.startsWith('S\n\n')).toBe(true);
    expect(prompt.system).toContain('[1]');
    expect(prompt.system).toContain('Run npx cdk deploy.');
  });
});
