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
import { PeopleView } from './people-view';
import type { WelcomeFrame } from './protocol';
import { StatusView } from './status-view';

const NAME_KEY = 'chat.name';
const SHARE_KEY = 'chat.shareDrafts';
/** This browser's author ids in the room before this page load: a reload's or crash's old connection leaving is not news. */
const IDS_KEY = 'chat.ids';
/** The secret that keeps this browser one person (one author id) across its connections in a room. */
const SECRET_KEY = 'chat.key';

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

/** This browser's secret key: 128 random bits in base64url, made once and kept (for this visit only if storage is off). */
function secretKey(): string {
  const kept = stored(SECRET_KEY);
  if (kept !== undefined && LIMITS.keyPattern.test(kept)) return kept;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const key = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  store(SECRET_KEY, key);
  return key;
}

const params = new URLSearchParams(location.search);
const requestedRoom = (params.get('room') ?? LIMITS.defaultRoom).trim().toLowerCase();
const room = LIMITS.roomPattern.test(requestedRoom) ? requestedRoom : LIMITS.defaultRoom;
const requestedName = (params.get('name') ?? stored(NAME_KEY) ?? '').trim();
const startName = requestedName !== '' && !nameProblem(requestedName) ? requestedName : undefined;

document.title = `#${room} · Serverless chat`;
byId('room').textContent = `#${room}`;

const announcer = new Announcer(byId('announcer'));
const olderButton = byId<HTMLButtonElement>('older');
const beginning = byId('beginning');
/** Asks for older messages (the button, or scrolling to the top): "Loading…" until they are in. */
const loadOlder = (): void => {
  if (!chat.loadOlder()) return;
  // aria-disabled, not disabled: a disabled button drops the keyboard focus to the page's start.
  olderButton.setAttribute('aria-disabled', 'true');
  olderButton.textContent = 'Loading…';
};
const list = new MessageList(byId('scroller'), byId('messages'), byId<HTMLButtonElement>('jump'), loadOlder);
const drafts = new DraftsView(byId('drafts'), () => undefined);
const status = new StatusView(byId('connection'), byId('connection-label'), byId('connection-countdown'), byId<HTMLButtonElement>('retry'));
const online = byId('online');
const nameForm = byId<HTMLFormElement>('identity');
const nameInput = byId<HTMLInputElement>('name');
const nameHint = byId('name-hint');
const share = byId<HTMLInputElement>('share');
const pastIds = (stored(IDS_KEY) ?? '').split(' ');
const people = new PeopleView(byId('people'), (person): boolean => chat.isMe(person) || pastIds.includes(person.id));
let botName = 'bot';

let connection: ChatConnection | undefined;
const send: ChatConnection['send'] = (frame) => connection?.send(frame) ?? false;
const draftSender = new DraftSender((text) => send({ action: 'typing', text }));
let currentName = '';
/** The name this page asked the room for; the room may have given another ("Ann 2") when it was taken. */
let askedName = startName;

const chat = new ChatRoom(
  {
    list,
    drafts,
    announcer,
    people,
    showOnline: (count) => (online.textContent = `${count} online`),
    showMe: (me) => {
      currentName = me.name;
      if (document.activeElement !== nameInput) nameInput.value = me.name;
      nameForm.dataset.pending = 'false';
    },
    onWelcome: () => draftSender.resend(),
    showOlder: (available) => {
      const hadFocus = document.activeElement === olderButton;
      olderButton.hidden = !available;
      olderButton.removeAttribute('aria-disabled');
      olderButton.textContent = 'Load older messages';
      beginning.hidden = available;
      // The room's beginning replaces the button: the keyboard's place goes with it, not back to the page's start.
      if (hadFocus && !available) beginning.focus();
    },
  },
  send,
);

const composer = new Composer({
  form: byId<HTMLFormElement>('composer'),
  input: byId<HTMLTextAreaElement>('text'),
  counter: byId('counter'),
  offlineNote: byId('offline-note'),
  button: byId<HTMLButtonElement>('send'),
  ask: byId<HTMLButtonElement>('ask'),
  announcer,
  onSend: (text) => {
    if (!chat.sendMessage(text)) return false;
    draftSender.sent();
    return true;
  },
  onDraft: (text) => draftSender.update(text),
});

const showSharing = (): void => {
  draftSender.share(share.checked);
  byId('draft-note').textContent = share.checked ? 'Others see what you type.' : 'Others see only what you send.';
};
share.checked = stored(SHARE_KEY) !== 'off';
showSharing();
share.addEventListener('change', () => {
  store(SHARE_KEY, share.checked ? undefined : 'off');
  showSharing();
});

/** What the page says about the room's welcome beyond the room's own view: the bot's name, a name already taken. */
function welcomed(frame: WelcomeFrame): void {
  botName = frame.bot?.name ?? botName;
  composer.setBot(botName);
  beginning.textContent = `This is the beginning of #${room}. To ask the bot, mention @${botName} or press Ask @${botName}.`;
  if (askedName !== undefined && frame.you.name !== askedName) {
    chat.notice(`${askedName} was taken; you are ${frame.you.name}.`);
    announcer.say(`${askedName} was taken; you are ${frame.you.name}.`);
  }
  store(IDS_KEY, [frame.you.id, ...(stored(IDS_KEY) ?? '').split(' ')].slice(0, 5).join(' '));
  // The browser is one person (one key): a tab opened later without ?name= takes this name, not a random one that
  // would read to the room as a rename. A name given with a number because it was taken is not kept.
  if (askedName === undefined || frame.you.name === askedName) store(NAME_KEY, frame.you.name);
}

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
  askedName = name || undefined;
  connection?.rename(name || undefined);
});
nameInput.addEventListener('blur', () => {
  if (nameForm.dataset.pending !== 'true' && nameInput.value.trim() === '') nameInput.value = currentName;
});
byId<HTMLButtonElement>('retry').addEventListener('click', () => connection?.retryNow());
olderButton.addEventListener('click', loadOlder);

connection = new ChatConnection({
  room,
  name: startName,
  key: secretKey(),
  onFrame: (frame) => {
    chat.handle(frame);
    if (frame.type === 'welcome') welcomed(frame);
  },
  onStatus: (state) => {
    status.show(state);
    composer.setOnline(state.state === 'online');
    // A count from before the drop would be stale: nobody is known to be online until the room welcomes us again.
    if (state.state === 'reconnecting' || state.state === 'offline') online.textContent = 'offline';
  },
});
if (requestedRoom !== room) chat.notice(`"${requestedRoom}" is not a room name (a-z, 0-9 and -, up to 40): you are in #${room}.`, 'error');
if (requestedName !== '' && !startName) chat.notice(`The name "${requestedName}" cannot be used: ${nameProblem(requestedName)}`, 'error');
connection.start();
