import { mentionsBot } from '../../lambdas/message/mentions-bot';
import { withoutMentions } from '../../lambdas/shared/without-mentions';
import { nameCandidates } from '../../lambdas/connect/unique-name';

describe('mentionsBot (botName "helper")', () => {
  it.each([
    '@bot how do I deploy?',
    'how do I deploy, @bot?',
    'thanks @Bot!',
    '@BOT',
    '(@bot) what now',
    'ask @bot: why',
    '@bot.',
    'line one\n@bot line two',
    '@helper what is this?',
    'hey @HELPER',
    'ok.@bot',
  ])('is addressed: %j', (text) => {
    expect(mentionsBot(text, 'helper')).toBe(true);
  });

  it.each([
    'Hello everyone 👋',
    'the bot is nice',
    'bot, are you there?',
    'mail me@bot.example',
    'x@bot',
    '@bots are great',
    '@botanist',
    '@bot-fan says hi',
    '@bot.example.com',
    '@helpers',
    '@ helper',
    '@ann hi',
  ])('is not addressed: %j', (text) => {
    expect(mentionsBot(text, 'helper')).toBe(false);
  });

  it('takes a configured name with - and _ literally', () => {
    expect(mentionsBot('@my-bot_2 hi', 'my-bot_2')).toBe(true);
    expect(mentionsBot('@my-bot_23 hi', 'my-bot_2')).toBe(false);
    expect(mentionsBot('@bot hi', 'my-bot_2')).toBe(true);
  });
});

it('withoutMentions leaves the question without the @names', () => {
  expect(withoutMentions('@bot how do I deploy this?')).toBe('how do I deploy this?');
  expect(withoutMentions('@Helper, what is a shard?')).toBe('what is a shard?');
  expect(withoutMentions('mail me@bot.example')).toBe('mail me@bot.example');
});

describe('nameCandidates', () => {
  it('offers the name, then the name with 2, 3, ... as many as asked', () => {
    expect([...nameCandidates('Ann', 4)]).toStrictEqual(['Ann', 'Ann 2', 'Ann 3', 'Ann 4']);
    expect([...nameCandidates('ＡＮＮ', 2)]).toStrictEqual(['ＡＮＮ', 'ＡＮＮ 2']);
  });

  it('stays within 32 characters', () => {
    const long = 'x'.repeat(32);
    expect([...nameCandidates(long, 2)]).toStrictEqual([long, `${'x'.repeat(30)} 2`]);
    expect([...nameCandidates('😀'.repeat(32), 12)].map((name) => [...name].length)).toStrictEqual(Array(12).fill(32));
  });
});
