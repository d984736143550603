/** One server-sent event: its type (`message` unless an `event:` field named another) and its data lines joined. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Server-sent events from a byte stream, following the WHATWG EventSource parsing rules:
 * - bytes are decoded as a stream, so a multi-byte UTF-8 character split across chunks arrives whole;
 * - lines end in LF, CRLF or CR, even when the CR and LF arrive in different chunks;
 * - lines starting with `:` are comments; `field: value` loses one leading space of the value;
 * - several `data:` lines of one event are joined with `\n`; a blank line dispatches the event;
 * - an event without data is not dispatched, nor is an unterminated one at the end of the stream.
 */
export async function* parseSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let data: string[] = [];
  let event = '';

  function* takeLines(final: boolean): Generator<string> {
    let start = 0;
    for (;;) {
      const cr = buffer.indexOf('\r', start);
      const lf = buffer.indexOf('\n', start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      let next = end + 1;
      if (buffer[end] === '\r') {
        // A CR at the end of what we have may be the first half of a CRLF.
        if (end === buffer.length - 1 && !final) break;
        if (buffer[end + 1] === '\n') next = end + 2;
      }
      yield buffer.slice(start, end);
      start = next;
    }
    buffer = buffer.slice(start);
  }

  function* process(line: string): Generator<SseEvent> {
    if (line === '') {
      if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
      data = [];
      event = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    // `id` and `retry` only matter to a reconnecting EventSource; a completion stream is never resumed.
  }

  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (const line of takeLines(false)) yield* process(line);
  }
  buffer += decoder.decode();
  for (const line of takeLines(true)) yield* process(line);
}
