import { expect, test } from 'vitest';
import { type ContextIndex, remembered } from '../../lib/extension/last-contexts';

test('remembers the newest read per ticket and drops the oldest beyond the bound', () => {
  let index: ContextIndex = {};
  const dropped: string[] = [];
  for (const [i, ref] of ['a', 'b', 'c', 'a', 'd'].entries()) {
    const next = remembered(index, ref, i, 3);
    index = next.index;
    dropped.push(...next.dropped);
  }
  expect(Object.keys(index).sort()).toEqual(['a', 'c', 'd']);
  expect(dropped).toEqual(['b']);
  expect(remembered(index, 'c', 10, 3).index.c).toBe(10);
});
