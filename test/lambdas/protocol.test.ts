import { parseClientFrame } from '../../lambdas/shared/protocol/parse-client-frame';
import { parseHandshake } from '../../lambdas/shared/protocol/parse-handshake';
import { ProtocolError } from '../../lambdas/shared/protocol/protocol-error';
import { selectRoute } from '../../local/gateway/route-selection';
import { ROUTE_KEYS } from '../../contract';

function rejection(run: () => unknown): { code: string; message: string } | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return { code: error.code, message: error.message };
  }
}

describe('parseClientFrame', () => {
  it('accepts each action with its fields and drops unknown fields', () => {
    expect(parseClientFrame('{"action":"join","extra":1}')).toStrictEqual({ action: 'join' });
    expect(parseClientFrame('{"action":"sendMessage","text":"hi","clientMsgId":"c1"}')).toStrictEqual({
      action: 'sendMessage',
      text: 'hi',
      clientMsgId: 'c1',
    });
    expect(parseClientFrame('{"action":"typing","text":""}')).toStrictEqual({ action: 'typing', text: '' });
    expect(parseClientFrame('{"action":"history","before":"01M80HJ5WKNEJF1FNN1XEQ1HBT","limit":100}')).toStrictEqual({
      action: 'history',
      before: '01M80HJ5WKNEJF1FNN1XEQ1HBT',
      limit: 100,
    });
  });

  it.each([
    ['', 'bad_json'],
    ['{"action":', 'bad_json'],
    ['null', 'invalid'],
    ['"join"', 'invalid'],
    ['{}', 'unknown_action'],
    ['{"action":7}', 'unknown_action'],
    ['{"action":"sendmessage","text":"hi"}', 'unknown_action'],
    ['{"action":"sendMessage","text":null}', 'invalid'],
    ['{"action":"sendMessage","text":"hi","clientMsgId":""}', 'invalid'],
    [`{"action":"sendMessage","text":"hi","clientMsgId":"${'c'.repeat(65)}"}`, 'invalid'],
    [`{"action":"typing","text":"${'x'.repeat(4001)}"}`, 'too_long'],
    ['{"action":"history","limit":0}', 'invalid'],
    ['{"action":"history","limit":2.5}', 'invalid'],
    ['{"action":"history","before":"01m80hj5wknejf1fnn1xeq1hbt"}', 'invalid'],
    ['{"action":"sendMessage","text":"\u200b"}', 'invalid'],
    ['{"action":"sendMessage","text":"\u3164\u2800\u00ad \\n"}', 'invalid'],
    ['{"action":"sendMessage","text":"\u202egnp.exe"}', 'invalid'],
    ['{"action":"typing","text":"a\u2067b"}', 'invalid'],
    ['{"action":"sendMessage","text":"a\\u0000b"}', 'invalid'],
    ['{"action":"sendMessage","text":"bell\\u0007"}', 'invalid'],
    ['{"action":"typing","text":"esc \\u001b[31mred"}', 'invalid'],
    ['{"action":"sendMessage","text":"c1 \\u0085"}', 'invalid'],
    ['{"action":"sendMessage","text":"a\\ud800b"}', 'invalid'],
    ['{"action":"typing","text":"\\udc00"}', 'invalid'],
  ])('rejects %s with %s', (raw, code) => {
    expect(rejection(() => parseClientFrame(raw))?.code).toBe(code);
  });

  it('keeps tabs, line breaks and surrogate pairs in text', () => {
    expect(parseClientFrame('{"action":"sendMessage","text":"a\\tb\\r\\nc \\ud83e\\udd8a"}')).toStrictEqual({
      action: 'sendMessage',
      text: 'a\tb\r\nc 🦊',
    });
  });

  it('names the field and the rule in its message', () => {
    expect(rejection(() => parseClientFrame('{"action":"sendMessage","text":"a\\u0000b"}'))?.message).toBe(
      'sendMessage: text: text must not contain control characters other than tab and line breaks',
    );
    expect(rejection(() => parseClientFrame('{"action":"sendMessage","text":"a\\ud800b"}'))?.message).toBe(
      'sendMessage: text: text must be well-formed Unicode (no unpaired surrogate)',
    );
    expect(rejection(() => parseClientFrame('{"action":7}'))?.message).toMatch(/^"action" must be a string; use one of join, /);
    expect(rejection(() => parseClientFrame('{}'))?.message).toMatch(/^Missing "action"; use one of join, /);
    expect(rejection(() => parseClientFrame('{"action":"sendMessage","text":42}'))).toStrictEqual({
      code: 'invalid',
      message: 'sendMessage: text: text must be a string',
    });
    expect(rejection(() => parseClientFrame(`{"action":"sendMessage","text":"${'x'.repeat(4001)}"}`))).toStrictEqual({
      code: 'too_long',
      message: 'text is 4001 characters; the limit is 4000',
    });
  });
});

describe('parseHandshake', () => {
  it('defaults the room to lobby and leaves the name to the server', () => {
    expect(parseHandshake(undefined)).toStrictEqual({ room: 'lobby', name: undefined, key: undefined });
    expect(parseHandshake({ name: '  ' })).toStrictEqual({ room: 'lobby', name: undefined, key: undefined });
  });

  it('accepts 32 printable characters, emoji included, and trims', () => {
    expect(parseHandshake({ room: 'a-1', name: ` ${'🦊'.repeat(32)} ` })).toStrictEqual({ room: 'a-1', name: '🦊'.repeat(32), key: undefined });
  });

  it.each([
    [{ room: '' }, 'invalid_room'],
    [{ room: 'Lobby' }, 'invalid_room'],
    [{ room: 'lobby!' }, 'invalid_room'],
    [{ room: 'a'.repeat(41) }, 'invalid_room'],
    [{ name: 'x'.repeat(33) }, 'invalid_name'],
    [{ name: 'new\nline' }, 'invalid_name'],
    [{ name: 'admin\u202Eevil' }, 'invalid_name'],
  ])('rejects %j with %s', (query, code) => {
    expect(rejection(() => parseHandshake(query))?.code).toBe(code);
  });

  it.each([
    ['a zero-width space', 'Ann\u200B'],
    ['a right-to-left mark', 'Ann\u200F'],
    ['an Arabic letter mark', 'Ann\u061C'],
    ['a Hangul filler', 'Ann\u3164'],
    ['a Hangul filler alone', '\u3164'],
    ['a braille blank', 'Ann\u2800'],
    ['a soft hyphen', 'An\u00ADn'],
    ['a word joiner', 'A\u2060nn'],
    ['a no-break space', 'Ann\u00A0Lee'],
    ['only combining marks', '\u0301\u0301'],
    ['Bot', 'Bot'],
    ['bot in capitals', 'BOT'],
    ['System', 'system'],
    ['Assistant', 'Assistant'],
    ['a full-width Bot', '\uFF22\uFF4F\uFF54'],
    ['a replacement character (a broken encoding)', 'Ann\uFFFD'],
    ['only replacement characters', '\uFFFD\uFFFD\uFFFD'],
  ])('refuses a name with %s', (_label, name) => {
    expect(rejection(() => parseHandshake({ name }))?.code).toBe('invalid_name');
  });

  it.each([
    ['an emoji ZWJ sequence', '👩‍💻 Ann'],
    ['a subdivision flag', '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}'],
    ['Hebrew', 'שרה'],
    ['Arabic', 'سارة'],
    ['Korean', '김민준'],
    ['a name that contains Bot', 'Bottle Bot Fan'],
  ])('accepts %s', (_label, name) => {
    expect(parseHandshake({ name })).toStrictEqual({ room: 'lobby', name, key: undefined });
  });

  it.each([
    ['16 random bytes', 'AAECAwQFBgcICQoLDA0ODw'],
    ['64 random bytes', 'a'.repeat(86)],
    ['base64url - and _', '-_-_-_-_-_-_-_-_-_-_-_'],
  ])('accepts a key of %s', (_label, key) => {
    expect(parseHandshake({ key })).toStrictEqual({ room: 'lobby', name: undefined, key });
  });

  it.each([
    ['empty', ''],
    ['too short (15 bytes)', 'A'.repeat(21)],
    ['too long', 'A'.repeat(87)],
    ['padded base64', 'AAECAwQFBgcICQoLDA0ODw=='],
    ['base64 + and /', 'AAECAwQFBgcICQoLDA0O+/'],
    ['spaces', 'AAECAwQFBgcI CQoLDA0ODw'],
  ])('refuses a key that is %s, without repeating it', (_label, key) => {
    const error = rejection(() => parseHandshake({ key }));
    expect(error?.code).toBe('invalid_key');
    expect(error?.message).toBe('Invalid key: a key is 22-86 characters of A-Z, a-z, 0-9, - and _ (base64url of 16-64 random bytes)');
  });
});

describe('route selection on $request.body.action', () => {
  it.each([
    ['{"action":"sendMessage"}', 'sendMessage'],
    ['{"action":"join"}', 'join'],
    ['{"action":"$connect"}', '$default'],
    ['{"action":"nope"}', '$default'],
    ['{"text":"hi"}', '$default'],
    ['not json', '$default'],
    ['null', '$default'],
  ])('%s -> %s', (body, route) => {
    expect(selectRoute(body, ROUTE_KEYS)).toBe(route);
  });

  it('selects no route for an unmatched frame when the API has no $default', () => {
    const routes = ['$connect', '$disconnect', 'sendmessage'] as const;

    expect([selectRoute('{"action":"nope"}', routes), selectRoute('not json', routes), selectRoute('{"action":"sendmessage"}', routes)]).toStrictEqual([
      undefined,
      undefined,
      'sendmessage',
    ]);
  });
});
