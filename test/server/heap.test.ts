// The server's heap watch: small growth steps only while the heap is large, never with NEWSFLOW_HEAP=speed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectStartupGarbage, endStartupHeap, preferSmallHeap } from '../../src/server/heap.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('heap watch', () => {
  it('switches to small growth steps past the threshold and back to V8 defaults below it', async () => {
    const set: string[] = [];
    let threshold = 2 ** 40;
    const stop = preferSmallHeap('small', {
      get largeHeapBytes() {
        return threshold;
      },
      checkMs: 10,
      setFlags: (f) => set.push(f),
    });
    try {
      await sleep(40);
      assert.deepEqual(set, [], 'a heap under the threshold keeps V8 defaults');
      threshold = 0;
      await sleep(40);
      assert.deepEqual(set, ['--heap-growing-percent=10']);
      threshold = 2 ** 40;
      await sleep(40);
      assert.deepEqual(set, ['--heap-growing-percent=10', '--heap-growing-percent=0'], 'back to V8 defaults, once');
    } finally {
      stop();
    }
  });

  it('does nothing with NEWSFLOW_HEAP=speed', async () => {
    const set: string[] = [];
    const stop = preferSmallHeap('speed', { largeHeapBytes: 0, checkMs: 10, setFlags: (f) => set.push(f) });
    await sleep(50);
    stop();
    assert.deepEqual(set, []);
  });

  it('sets back the V8 defaults that `newsflow serve` changes while it loads', () => {
    const set: string[] = [];
    endStartupHeap(
      (f) => set.push(f),
      () => set.push('collect'),
    );
    assert.deepEqual(set, ['collect', '--no-optimize-for-size', '--semi-space-growth-factor=2']);
  });

  it('collects the start-up garbage: the heap in use shrinks after a full collection', () => {
    let garbage: number[][] | null = Array.from({ length: 2000 }, () => Array.from({ length: 500 }, (_, i) => i));
    const before = process.memoryUsage().heapUsed;
    garbage = null;
    collectStartupGarbage();
    assert.equal(garbage, null);
    assert.ok(process.memoryUsage().heapUsed < before - 4 * 2 ** 20, 'a full collection frees the dropped arrays');
  });
});
