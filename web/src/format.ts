const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
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
