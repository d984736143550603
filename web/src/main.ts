// The chat page: wiring only. It speaks protocol v1 (docs/protocol.md) to the WebSocket URL read from config.json.
import { LIMITS } from '../../lambdas/shared/protocol/limits';
import { nameProblem as protocolNameProblem } from '../../lambdas/shared/protocol/text';
import { Announcer } from './announcer';
import { ChatConnection } from './chat-connection';
import { ChatRoom } from './chat-room';
import { Composer } from './composer';
import { byId } from './dom';
import { DraftSender } from './draft-sender';
import { DraftsView } from './drafts-view';
import { MessageList } from './message-list';
import { StatusView } from './status-view';

const NAME_KEY = 'chat.name';

/** Why a name cannot be used (the server's own rule), or undefined when it can. */
function nameProblem(name: string): string | undefined {
  const problem = protocolNameProblem(name);
  return problem === undefined ? undefined : `${problem[0]?.toUpperCase()}${problem.slice(1)}.`;
}

function stored(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined; // storage disabled
  }
}

function store(key: string, value: string | undefined): void {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // storage disabled: the name lasts for this visit
  }
}

const params = new URLSearchParams(location.search);
const requestedRoom = (params.get('room') ?? LIMITS.defaultRoom).trim().toLowerCase();
const room = LIMITS.roomPattern.test(requestedRoom) ? requestedRoom : LIMITS.defaultRoom;
const requestedName = (params.get('name') ?? stored(NAME_KEY) ?? '').trim();
const startName = requestedName !== '' && !nameProblem(requestedName) ? requestedName : undefined;

document.title = `#${room} · Serverless chat`;
byId('room').textContent = `#${room}`;

const announcer = new Announcer(byId('announcer'));
const list = new MessageList(byId('scroller'), byId('messages'), byId<HTMLButtonElement>('jump'));
const drafts = new DraftsView(byId('drafts'), () => undefined);
const status = new StatusView(byId('connection'), byId('connection-label'), byId('connection-countdown'), byId<HTMLButtonElement>('retry'));
const online = byId('online');
const nameForm = byId<HTMLFormElement>('identity');
const nameInput = byId<HTMLInputElement>('name');
const nameHint = byId('name-hint');
const olderButton = byId<HTMLButtonElement>('older');

let connection: ChatConnection | undefined;
const send: ChatConnection['send'] = (frame) => connection?.send(frame) ?? false;
const draftSender = new DraftSender((text) => send({ action: 'typing', text }));
let currentName = '';

const chat = new ChatRoom(
  {
    list,
    drafts,
    announcer,
    showOnline: (count, members) => {
      online.textContent = `${count} online`;
      // Who is here, on hover and for screen readers on focus; presence frames keep only the count current.
      // Each name between FSI and PDI, so a right-to-left name cannot reorder the ones around it.
      if (members) online.title = members.map((member) => `\u2068${member.name}\u2069`).join(', ');
    },
    showMe: (me) => {
      currentName = me.name;
      if (document.activeElement !== nameInput) nameInput.value = me.name;
      nameForm.dataset.pending = 'false';
    },
    onWelcome: () => draftSender.resend(),
    showOlder: (available) => (olderButton.hidden = !available),
  },
  send,
);

const composer = new Composer({
  form: byId<HTMLFormElement>('composer'),
  input: byId<HTMLTextAreaElement>('text'),
  counter: byId('counter'),
  button: byId<HTMLButtonElement>('send'),
  announcer,
  onSend: (text) => {
    if (!chat.sendMessage(text)) return false;
    draftSender.sent();
    return true;
  },
  onDraft: (text) => draftSender.update(text),
});

nameForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = nameInput.value.trim();
  if (name === currentName) return;
  const problem = name === '' ? undefined : nameProblem(name);
  nameHint.textContent = problem ?? '';
  if (problem) return;
  store(NAME_KEY, name);
  const url = new URL(location.href);
  if (name) url.searchParams.set('name', name);
  else url.searchParams.delete('name');
  history.replaceState(null, '', url);
  nameForm.dataset.pending = 'true';
  connection?.rename(name || undefined);
});
nameInput.addEventListener('blur', () => {
  if (nameForm.dataset.pending !== 'true' && nameInput.value.trim() === '') nameInput.value = currentName;
});
byId<HTMLButtonElement>('retry').addEventListener('click', () => connection?.retryNow());
olderButton.addEventListener('click', () => chat.loadOlder());

connection = new ChatConnection({
  room,
  name: startName,
  onFrame: (frame) => chat.handle(frame),
  onStatus: (state) => {
    status.show(state);
    composer.setOnline(state.state === 'online');
  },
});
if (requestedRoom !== room) chat.notice(`"${requestedRoom}" is not a room name (a-z, 0-9 and -, up to 40): you are in #${room}.`, 'error');
if (requestedName !== '' && !startName) chat.notice(`The name "${requestedName}" cannot be used: ${nameProblem(requestedName)}`, 'error');
connection.start();
