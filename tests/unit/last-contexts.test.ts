import { expect, test } from 'vitest';
import { remember } from '../../lib/extension/last-contexts';
import type { WorkItemContext } from '../../lib/shared/contract';

const context = (ref: string) => ({ ref }) as WorkItemContext;

test('remembers the newest context per ticket and drops the oldest beyond the bound', () => {
  let known = {};
  for (const [i, ref] of ['a', 'b', 'c', 'a', 'd'].entries()) known = remember(known, ref, context(ref), i, 3);
  expect(Object.keys(known).sort()).toEqual(['a', 'c', 'd']);
  expect(remember(known, 'c', context('c'), 10, 3).c?.at).toBe(10);
});
