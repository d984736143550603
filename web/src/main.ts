// A minimal chat page speaking protocol v1 (docs/protocol.md). Everything shown is set as text, never as markup.

interface Frame {
  type: string;
  [key: string]: unknown;
}

const room = new URLSearchParams(location.search).get('room') ?? 'lobby';
const name = new URLSearchParams(location.search).get('name');
const list = document.querySelector<HTMLOListElement>('#messages')!;
const status = document.querySelector<HTMLParagraphElement>('#status')!;
const drafts = document.querySelector<HTMLParagraphElement>('#drafts')!;
const form = document.querySelector<HTMLFormElement>('#composer')!;
const input = document.querySelector<HTMLTextAreaElement>('#text')!;
const button = form.querySelector<HTMLButtonElement>('button')!;
const seen = new Set<string>();
const typing = new Map<string, string>();
let socket: WebSocket | undefined;

function show(kind: string, author: string | undefined, text: string, id?: string): void {
  if (id !== undefined) {
    if (seen.has(id)) return;
    seen.add(id);
  }
  const item = document.createElement('li');
  item.className = kind;
  if (author) {
    const who = document.createElement('span');
    who.className = 'author';
    who.textContent = author;
    item.append(who);
  }
  item.append(document.createTextNode(text));
  list.append(item);
  item.scrollIntoView({ block: 'end' });
}

function renderDrafts(): void {
  drafts.textContent = [...typing.entries()].map(([who, text]) => `${who} is typing: ${text}`).join(' · ');
}

function handle(frame: Frame): void {
  const author = (frame.author as { name?: string } | undefined)?.name;
  switch (frame.type) {
    case 'welcome':
      status.textContent = `Room ${String(frame.room)} · you are ${String((frame.you as { name: string }).name)} · ${String(frame.online)} online`;
      for (const message of frame.history as Frame[]) handle(message);
      break;
    case 'user':
      typing.delete(author ?? '');
      renderDrafts();
      show('user', author, String(frame.text), String(frame.id));
      break;
    case 'typing':
      if (frame.text === '') typing.delete(author ?? '');
      else typing.set(author ?? '', String(frame.text));
      renderDrafts();
      break;
    case 'system':
      show('system', undefined, `${String(frame.name)} ${frame.event === 'join' ? 'joined' : 'left'} · ${String(frame.online)} online`);
      break;
    case 'ai':
      if (frame.state === 'end' || frame.state === 'error') show('ai', 'Bot', String(frame.text ?? ''), String(frame.id));
      break;
    case 'error':
      show('error', undefined, `${String(frame.code)}: ${String(frame.message)}`);
      break;
  }
}

async function connect(): Promise<void> {
  const { webSocketUrl } = (await (await fetch('config.json')).json()) as { webSocketUrl: string };
  const url = new URL(webSocketUrl);
  url.searchParams.set('room', room);
  if (name) url.searchParams.set('name', name);
  socket = new WebSocket(url);
  socket.addEventListener('open', () => {
    socket?.send(JSON.stringify({ action: 'join' }));
    input.disabled = button.disabled = false;
  });
  socket.addEventListener('message', (event) => handle(JSON.parse(String(event.data)) as Frame));
  socket.addEventListener('close', () => {
    input.disabled = button.disabled = true;
    status.textContent = 'Disconnected; reconnecting…';
    setTimeout(() => void connect(), 1000 + Math.random() * 1000);
  });
}

input.addEventListener('input', () => socket?.send(JSON.stringify({ action: 'typing', text: input.value })));
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (input.value.trim() === '') return;
  socket?.send(JSON.stringify({ action: 'sendMessage', text: input.value }));
  input.value = '';
});

void connect();
