import { describe, expect, test } from 'vitest';
import { objectiveTree } from '../../lib/extension/objective-tree';

describe('objectives in reading order', () => {
  const o = (id: string, parentId: string | null, priorityWeight = 1) => ({ id, parentId, priorityWeight, title: id });

  test('parents first by priority, each followed by its children', () => {
    const tree = objectiveTree([o('b', null, 1), o('a1', 'a'), o('a', null, 5), o('a1x', 'a1'), o('b1', 'b')]);
    expect(tree.map((t) => `${'-'.repeat(t.depth)}${t.objective.id}`)).toEqual(['a', '-a1', '--a1x', 'b', '-b1']);
  });

  test('a parent outside the list makes a root; a cycle is still listed, once', () => {
    expect(objectiveTree([o('c', 'elsewhere')]).map((t) => t.depth)).toEqual([0]);
    const cycle = objectiveTree([o('x', 'y'), o('y', 'x')]);
    expect(cycle.map((t) => t.objective.id).sort()).toEqual(['x', 'y']);
    expect(objectiveTree([])).toEqual([]);
  });
});
