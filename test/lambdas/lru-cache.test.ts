// The stand-in for mnemonist's LRU cache in every function bundle (contract BUNDLING.alias), checked against mnemonist
// itself: the operations the SDK's endpoint cache makes (get, peek, has, set, clear) give the same answers.
import MnemonistLruCache from 'mnemonist/lru-cache';
import LruCache from '../../lambdas/shared/aws/lru-cache';

type Operation = ['set', string, number] | ['get' | 'peek' | 'has', string] | ['clear'];

interface Cache {
  readonly size: number;
  get(key: string): unknown;
  peek(key: string): unknown;
  has(key: string): boolean;
  set(key: string, value: number): unknown;
  clear(): void;
}

function run(cache: Cache, operations: Operation[]): unknown[] {
  return operations.map((operation) => {
    switch (operation[0]) {
      case 'set':
        cache.set(operation[1], operation[2]);
        return cache.size;
      case 'clear':
        cache.clear();
        return cache.size;
      default:
        return cache[operation[0]](operation[1]);
    }
  });
}

it('answers as mnemonist does: most recently used kept, least recently used dropped past the capacity, peek leaves the order', () => {
  const operations: Operation[] = [
    ['set', 'a', 1], ['set', 'b', 2], ['set', 'c', 3], ['get', 'a'], ['set', 'd', 4], ['has', 'b'], ['has', 'a'],
    ['peek', 'c'], ['set', 'e', 5], ['has', 'c'], ['set', 'a', 10], ['set', 'f', 6], ['get', 'a'], ['has', 'd'],
    ['get', 'missing'], ['peek', 'missing'], ['clear'], ['has', 'a'], ['set', 'g', 7], ['get', 'g'],
  ];

  const ours = run(new LruCache<string, number>(3), operations);

  expect(ours).toStrictEqual(run(new MnemonistLruCache<string, number>(3), operations));
  expect(ours.slice(5, 7)).toStrictEqual([false, true]);
});
