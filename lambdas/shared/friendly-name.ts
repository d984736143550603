import { randomInt } from 'node:crypto';

const ADJECTIVES = [
  'Brave', 'Calm', 'Clever', 'Curious', 'Eager', 'Gentle', 'Happy', 'Jolly', 'Kind', 'Lively',
  'Lucky', 'Merry', 'Nimble', 'Polite', 'Quick', 'Quiet', 'Sunny', 'Swift', 'Witty', 'Zesty',
] as const;
const ANIMALS = [
  'Badger', 'Beaver', 'Crane', 'Dolphin', 'Falcon', 'Fox', 'Heron', 'Koala', 'Lynx', 'Marten',
  'Otter', 'Owl', 'Panda', 'Puffin', 'Raven', 'Seal', 'Sparrow', 'Tiger', 'Walrus', 'Wombat',
] as const;

/** A friendly random name such as "Curious Otter 17" for people who did not choose one. */
export function friendlyName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]} ${ANIMALS[randomInt(ANIMALS.length)]} ${randomInt(10, 100)}`;
}
