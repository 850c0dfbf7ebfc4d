import { describe, expect, it } from 'vitest';
import {
  ancestorSpans,
  type Containment,
  coverage,
  indexMetricData,
  type LinkException,
  type MetricLink,
  withInheritedLinks,
} from '../../lib/server/metrics';

const under = (itemId: string, containerId: string, startedAt = 0, endedAt: number | null = null): Containment => ({
  itemId,
  containerId,
  startedAt,
  endedAt,
});
const link = (itemId: string, objectiveId: string, createdAt = 0, endedAt: number | null = null): MetricLink => ({
  id: `${itemId}-${objectiveId}-${createdAt}`,
  itemId,
  objectiveId,
  weight: null,
  createdAt,
  endedAt,
});
const except = (
  itemId: string,
  objectiveId: string,
  createdAt: number,
  endedAt: number | null = null,
): LinkException => ({
  itemId,
  objectiveId,
  createdAt,
  endedAt,
});
const spans = (list: MetricLink[]) => list.map((l) => [l.objectiveId, l.createdAt, l.endedAt, l.via ?? null]);
const inherited = (
  items: string[],
  links: MetricLink[],
  containments: Containment[],
  exceptions: LinkException[] = [],
) => withInheritedLinks(items, [], { containments, containerLinks: links, exceptions });

describe('links inherited through containers', () => {
  it('pass down through any depth, each from the container that holds them', () => {
    // story -> epic -> initiative; the initiative's link reaches the story.
    const result = inherited(
      ['story'],
      [link('initiative', 'O', 10)],
      [under('story', 'epic'), under('epic', 'initiative')],
    );
    expect(spans(result)).toEqual([['O', 10, null, 'initiative']]);
  });

  it('last exactly while the ticket is under the container and the link is live, so past weeks do not change', () => {
    const result = inherited(['story'], [link('epic', 'O', 10, 50)], [under('story', 'epic', 20, 80)]);
    expect(spans(result)).toEqual([['O', 20, 50, 'epic']]);
    // The path's spans intersect: under the epic 0-30, the epic under the milestone 20-100.
    const deep = inherited(
      ['story'],
      [link('milestone', 'O', 0)],
      [under('story', 'epic', 0, 30), under('epic', 'milestone', 20, 100)],
    );
    expect(spans(deep)).toEqual([['O', 20, 30, 'milestone']]);
  });

  it('end at a cycle instead of looping, and a ticket never inherits from itself', () => {
    const containments = [under('a', 'b'), under('b', 'c'), under('c', 'a')];
    const reach = ancestorSpans(
      'a',
      new Map([
        ['a', [containments[0] as Containment]],
        ['b', [containments[1] as Containment]],
        ['c', [containments[2] as Containment]],
      ]),
    );
    expect([...reach.keys()].sort()).toEqual(['b', 'c']);
    const result = inherited(['a'], [link('a', 'A'), link('c', 'C')], containments);
    expect(spans(result)).toEqual([['C', 0, null, 'c']]);
  });

  it('give a ticket under two containers with different goals both goals, and one goal once', () => {
    const result = inherited(
      ['story'],
      [link('epic', 'O'), link('milestone', 'P'), link('label', 'O', 5)],
      [under('story', 'epic'), under('story', 'milestone'), under('story', 'label')],
    );
    expect(spans(result).sort()).toEqual([
      ['O', 0, null, 'epic'],
      ['P', 0, null, 'milestone'],
    ]);
  });

  it('add nothing where the ticket links the objective itself, and fill the time its own link was not there', () => {
    const result = withInheritedLinks(['story'], [link('story', 'O', 30, 60)], {
      containments: [under('story', 'epic')],
      containerLinks: [link('epic', 'O', 0)],
      exceptions: [],
    });
    expect(spans(result.filter((l) => l.via))).toEqual([
      ['O', 0, 30, 'epic'],
      ['O', 60, null, 'epic'],
    ]);
  });

  it('stop while a "not for this goal" exception stands, and only for that objective', () => {
    const result = inherited(
      ['story'],
      [link('epic', 'O'), link('epic', 'P')],
      [under('story', 'epic')],
      [except('story', 'O', 40, 70)],
    );
    expect(spans(result).sort()).toEqual([
      ['O', 0, 40, 'epic'],
      ['O', 70, null, 'epic'],
      ['P', 0, null, 'epic'],
    ]);
  });

  it('stop below a container marked "not for this goal", while the mark stands', () => {
    // story -> epic -> milestone (linked to O and P); the epic is not for O from 40 to 70.
    const result = inherited(
      ['story'],
      [link('milestone', 'O'), link('milestone', 'P')],
      [under('story', 'epic'), under('epic', 'milestone')],
      [except('epic', 'O', 40, 70)],
    );
    expect(spans(result).sort()).toEqual([
      ['O', 0, 40, 'milestone'],
      ['O', 70, null, 'milestone'],
      ['P', 0, null, 'milestone'],
    ]);
  });

  it('count in coverage like direct links', () => {
    const DAY = 86_400_000;
    const items = ['story', 'loose'].map((id) => ({ id, estimate: 3, firstSeenAt: 0, closedAt: null }));
    const objective = {
      id: 'O',
      priorityWeight: 1,
      status: 'active' as const,
      periodStart: 0,
      periodEnd: 100 * DAY,
      closedAt: null,
      createdAt: 0,
      lastUpdateAt: null,
      updateCadenceDays: 14,
    };
    const links = withInheritedLinks(['story', 'loose'], [], {
      containments: [under('story', 'epic')],
      containerLinks: [link('epic', 'O')],
      exceptions: [],
    });
    const index = indexMetricData({ items, links, objectives: [objective] });
    expect(coverage(index, { from: 0, to: 10 * DAY })).toMatchObject({ coverage: 0.5 });
  });
});
