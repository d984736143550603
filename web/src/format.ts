const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

/** A `<time>` showing the hour (and the day when it is not today), with the full date as its tooltip. */
export function timeElement(ts: number, now = Date.now()): HTMLTimeElement {
  const date = new Date(ts);
  const element = document.createElement('time');
  element.dateTime = date.toISOString();
  element.title = full.format(date);
  element.textContent = new Date(now).toDateString() === date.toDateString() ? time.format(date) : dayAndTime.format(date);
  return element;
}

/** The last `max` code points of `text`, with a leading ellipsis when it was cut. */
export function tail(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `…${points.slice(-max).join('')}`;
}

/** The day a message was sent, as a day line says it: "Today", "Yesterday" or the date. */
export function dayLabel(ts: number, now = Date.now()): string {
  const day = new Date(ts).toDateString();
  if (day === new Date(now).toDateString()) return 'Today';
  return day === new Date(now - 86_400_000).toDateString() ? 'Yesterday' : dayFormat.format(ts);
}
