// How the server's JavaScript heap grows. A server holding thousands of streams allocates a little for
// every write a slow client leaves queued, and V8's default growth lets that garbage pile up to several
// times the live heap before collecting it: 10,000 streams peaked at 510 MB by default. Growing the
// heap 10 % at a time keeps them near 300 MB, but costs a small heap four times the collection work
// (measured on the pull feed), so the small steps apply only while the heap is large.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Sets back V8's defaults that `newsflow serve` (bin/newsflow.mjs) changes while the server loads:
 * collecting for size, and a young generation that does not grow. Called once the server listens: what
 * loading left is then compact, and requests get V8's usual young generation (a small one promotes more
 * short-lived objects under load) and heap growth.
 */
export function endStartupHeap(setFlags: (flags: string) => void = setFlagsFromString, collect: () => void = collectStartupGarbage): void {
  collect();
  setFlags('--no-optimize-for-size');
  setFlags('--semi-space-growth-factor=2');
}

/**
 * One full, compacting collection of what loading left behind (module compilation, the demo's
 * indexing and password hashing): V8 would otherwise keep those pages until the heap next grows, and
 * an idle server never grows it. A few milliseconds, once; `gc` is exposed only inside a throwaway
 * context, so the server's own global stays as it was.
 */
export function collectStartupGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Past this heap size the heap grows in small steps. */
const LARGE_HEAP_BYTES = 96 * 2 ** 20;
const CHECK_MS = 500;

/**
 * Watches the heap and switches V8 to small growth steps while it is large, back to its default below
 * (NEWSFLOW_HEAP=speed: never). Returns the function that stops watching.
 */
export function preferSmallHeap(
  mode: 'small' | 'speed' = 'small',
  opts: { largeHeapBytes?: number; checkMs?: number; setFlags?: (flags: string) => void } = {},
): () => void {
  if (mode === 'speed') return () => {};
  const setFlags = opts.setFlags ?? setFlagsFromString;
  let small = false;
  const check = () => {
    const large = getHeapStatistics().total_heap_size > (opts.largeHeapBytes ?? LARGE_HEAP_BYTES);
    if (large === small) return;
    // 0 is V8's "not set": its own dynamic growth factor.
    setFlags(`--heap-growing-percent=${large ? 10 : 0}`);
    small = large;
  };
  check();
  const timer = setInterval(check, opts.checkMs ?? CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
