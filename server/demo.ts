/**
 * The demo workspace: a payments company's objective tree for the current quarter (and the last),
 * a dozen people on four teams, and a few hundred tickets on GitHub, Jira and Asana over eight weeks,
 * some linked, some not, some stale, with coverage slipping lately so the drift series has a shape.
 * Deterministic for a given day, so screenshots and tests see the same workspace.
 */
import { eq } from 'drizzle-orm';
import { DAY } from '../lib/server/metrics';
import { formatRef, projectOfRef, type Source, type TicketRef } from '../lib/shared/contract';
import type { ScopeTarget } from '../lib/shared/scope';
import { createToken, createUser } from './accounts';
import type { Db } from './db';
import {
  keyResults,
  links,
  objectives,
  periods,
  reviewDecisions,
  reviews,
  scopeEntries,
  statusUpdates,
  teams,
  workItems,
  workspaces,
} from './db/schema';
import { CHORES, OBJECTIVES, PEOPLE, TEAM_WORK } from './demo-data';

export const DEMO_SLUG = 'demo';

/** What the demo company declares its work; other organisations' tickets are not its work. */
export const DEMO_SCOPE: ScopeTarget[] = [
  { source: 'github', host: 'github.com', kind: 'organization', value: 'acme' },
  { source: 'jira', host: 'acme.atlassian.net', kind: 'host', value: '' },
  { source: 'asana', host: 'app.asana.com', kind: 'host', value: '' },
];

/** mulberry32: a tiny seeded PRNG so the demo is the same on every machine. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function quarterOf(date: Date, offset = 0) {
  const index = date.getUTCFullYear() * 4 + Math.floor(date.getUTCMonth() / 3) + offset;
  const year = Math.floor(index / 4);
  const q = index % 4;
  const start = new Date(Date.UTC(year, q * 3, 1));
  const end = new Date(Date.UTC(year, q * 3 + 3, 0));
  return {
    name: `${year}-Q${q + 1}`,
    startsOn: start.toISOString().slice(0, 10),
    endsOn: end.toISOString().slice(0, 10),
  };
}

export interface DemoSummary {
  workspaceName: string;
  /** The demo user's token when the workspace was created now; null when it already existed. */
  token: string | null;
  userName: string;
  userEmail: string;
  items: number;
  objectives: number;
}

export async function seedDemo(db: Db, now: Date): Promise<DemoSummary> {
  const summary = { workspaceName: 'Acme Payments (demo)', userName: 'Sam Rivera', userEmail: 'sam@acme.example' };
  const [existing] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, DEMO_SLUG));
  if (existing) {
    const [items, objs] = await Promise.all([
      db.$count(workItems, eq(workItems.workspaceId, existing.id)),
      db.$count(objectives, eq(objectives.workspaceId, existing.id)),
    ]);
    return { ...summary, token: null, items, objectives: objs };
  }

  const rand = random(20_261_121);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const t = now.getTime();

  return db.transaction(async (tx) => {
    const [ws] = await tx
      .insert(workspaces)
      .values({ name: summary.workspaceName, slug: DEMO_SLUG, createdAt: new Date(t - 70 * DAY) })
      .returning();
    const workspaceId = (ws as { id: string }).id;
    const txDb = tx as unknown as Db;

    const teamRows = await tx
      .insert(teams)
      .values(Object.keys(TEAM_WORK).map((name) => ({ workspaceId, name })))
      .returning();
    const teamId = new Map(teamRows.map((r) => [r.name, r.id]));

    const people = [];
    for (const p of PEOPLE) {
      const user = await createUser(txDb, workspaceId, {
        name: p.name,
        email: p.email,
        role: p.role ?? 'member',
        teamId: p.team ? (teamId.get(p.team) ?? null) : null,
        identities: { githubLogin: p.github, jiraName: p.name, asanaName: p.name },
      });
      people.push({ ...p, id: user.id });
    }
    const personId = new Map(people.map((p) => [p.name, p.id]));
    const sam = people[0] as (typeof people)[number];
    // The company's work: its GitHub organisation, its Jira site, its Asana.
    await tx.insert(scopeEntries).values(
      DEMO_SCOPE.map((target) => ({
        workspaceId,
        ...target,
        createdById: sam.id,
        createdAt: new Date(t - 70 * DAY),
      })),
    );
    const token = await createToken(txDb, workspaceId, sam.id, 'demo');

    const current = quarterOf(now);
    const previous = quarterOf(now, -1);
    const periodRows = await tx
      .insert(periods)
      .values([
        { workspaceId, ...previous },
        { workspaceId, ...current },
      ])
      .returning();
    const periodId = new Map(periodRows.map((p) => [p.name, p.id]));

    const objectiveId = new Map<string, string>();
    for (const o of OBJECTIVES) {
      const closed = o.status && o.status !== 'active';
      const lastUpdate = o.updatedDaysAgo === null ? null : new Date(t - o.updatedDaysAgo * DAY);
      const [row] = await tx
        .insert(objectives)
        .values({
          workspaceId,
          periodId: periodId.get(o.previous ? previous.name : current.name) as string,
          parentId: o.parent ? objectiveId.get(o.parent) : null,
          title: o.title,
          description: o.description,
          ownerId: personId.get(o.owner),
          teamId: o.team ? teamId.get(o.team) : null,
          priorityWeight: o.priority,
          status: o.status ?? 'active',
          health: o.health ?? null,
          lastUpdateAt: lastUpdate,
          closedAt: closed ? lastUpdate : null,
          createdAt: new Date(t - (o.previous ? 140 : 55) * DAY),
          updatedAt: lastUpdate ?? new Date(t - 55 * DAY),
        })
        .returning({ id: objectives.id });
      const id = (row as { id: string }).id;
      objectiveId.set(o.key, id);
      if (o.krs.length) {
        await tx.insert(keyResults).values(
          o.krs.map(([title, startValue, targetValue, currentValue, unit]) => ({
            workspaceId,
            objectiveId: id,
            title,
            startValue,
            targetValue,
            currentValue,
            unit,
          })),
        );
      }
      if (lastUpdate) {
        await tx.insert(statusUpdates).values({
          workspaceId,
          objectiveId: id,
          authorId: personId.get(o.owner),
          status: closed ? (o.status as 'achieved' | 'missed' | 'dropped') : (o.health ?? 'on_track'),
          note: closed ? `Closed as ${o.status}.` : 'Weekly update: see key results.',
          createdAt: lastUpdate,
        });
      }
    }

    // Tickets: each team's work on its objectives plus chores, first seen over eight weeks.
    const itemValues: (typeof workItems.$inferInsert)[] = [];
    const plannedLinks: { ref: string; objective: string; createdAt: Date; ended?: Date }[] = [];
    const counters: Record<string, number> = {};
    let asanaGid = 1_207_000_000_000_001;
    for (let i = 0; i < 320; i++) {
      const teamName = pick(Object.keys(TEAM_WORK));
      const work = TEAM_WORK[teamName] as (typeof TEAM_WORK)[string];
      const member = pick(people.filter((p) => p.team === teamName));
      const roll = rand();
      const source: Source = work.asana && roll < 0.3 ? 'asana' : roll < 0.65 ? 'jira' : 'github';
      const chore = rand() < 0.22;
      const [topic, titles] = pick(work.topics);
      const title = chore ? pick(CHORES) : pick(titles);

      counters[source + teamName] = (counters[source + teamName] ?? 0) + 1;
      const n = (counters[source + teamName] ?? 0) + 100;
      const ref: TicketRef =
        source === 'github'
          ? { source, host: 'github.com', key: `${work.github}#${n}` }
          : source === 'jira'
            ? { source, host: 'acme.atlassian.net', key: `${work.jira}-${n}` }
            : { source, host: 'app.asana.com', key: String(asanaGid++) };
      const url =
        source === 'github'
          ? `https://github.com/${work.github}/issues/${n}`
          : source === 'jira'
            ? `https://acme.atlassian.net/browse/${ref.key}`
            : `https://app.asana.com/0/0/${ref.key}`;
      const ageDays = rand() * 56;
      const firstSeen = new Date(t - ageDays * DAY);
      const closed = rand() < 0.35 && ageDays > 3;
      const closedAt = closed ? new Date(firstSeen.getTime() + rand() * (ageDays - 1) * DAY) : null;
      itemValues.push({
        workspaceId,
        ref: formatRef(ref),
        ...ref,
        url,
        title,
        state: closed
          ? source === 'jira'
            ? 'Done'
            : source === 'github'
              ? 'closed'
              : 'completed'
          : source === 'jira'
            ? pick(['To Do', 'In Progress', 'In Review'])
            : source === 'github'
              ? 'open'
              : 'incomplete',
        closedAt,
        assignees: [source === 'github' ? member.github : member.name],
        project: projectOfRef(ref) ?? (teamName === 'Growth' ? 'Growth launches' : teamName),
        estimate:
          source === 'jira' ? pick([1, 2, 3, 5, 8]) : source === 'github' && rand() < 0.5 ? pick([1, 2, 3]) : null,
        firstSeenAt: firstSeen,
        lastSeenAt: new Date(Math.min(t, firstSeen.getTime() + rand() * 10 * DAY)),
      });

      // Older work was linked more often than this fortnight's: coverage is slipping.
      const linkChance = ageDays > 28 ? 0.8 : ageDays > 14 ? 0.68 : 0.45;
      if (chore || rand() > linkChance) continue;
      const linkedAt = new Date(firstSeen.getTime() + rand() * Math.min(2, ageDays) * DAY);
      const stalePrevious = teamName === 'Platform' && rand() < 0.15;
      // Payments drifts to invoicing at the cost of checkout latency, its top priority.
      const objective = stalePrevious
        ? pick(['partner-api', 'soc2'])
        : topic === 'checkout-latency' && rand() < 0.5
          ? 'invoicing'
          : topic;
      plannedLinks.push({ ref: formatRef(ref), objective, createdAt: linkedAt });
      if (rand() < 0.06) {
        // A relink: the first link ended, a second made, so the history shows both.
        const ended = new Date(Math.min(t, linkedAt.getTime() + 2 * DAY));
        plannedLinks.push({
          ref: formatRef(ref),
          objective: topic === 'invoicing' ? 'revenue' : 'reliability',
          createdAt: linkedAt,
          ended,
        });
      }
    }

    const insertedItems = await tx
      .insert(workItems)
      .values(itemValues)
      .returning({ id: workItems.id, ref: workItems.ref });
    const itemId = new Map(insertedItems.map((r) => [r.ref, r.id]));
    if (plannedLinks.length) {
      await tx.insert(links).values(
        plannedLinks.map((l) => ({
          workspaceId,
          workItemId: itemId.get(l.ref) as string,
          objectiveId: objectiveId.get(l.objective) as string,
          createdById: sam.id,
          createdAt: l.createdAt,
          endedAt: l.ended ?? null,
          endedById: l.ended ? sam.id : null,
        })),
      );
    }
    // Two past weekly reviews of Payments: the figures as they stood then, one decided, one not.
    const payments = teamId.get('Payments') ?? null;
    const currentPeriod = periodId.get(current.name) as string;
    const [decided] = await tx
      .insert(reviews)
      .values({
        workspaceId,
        teamId: payments,
        periodId: currentPeriod,
        notes: 'Coverage is slipping as support work comes in unlinked.',
        figures: {
          coverage: 0.71,
          fit: 0.78,
          allocationDrift: 0.09,
          coverageDriftFlagged: false,
          starved: ['Support SEPA and iDEAL payment methods'],
          unlinkedItems: 9,
        },
        heldById: sam.id,
        heldAt: new Date(t - 14 * DAY),
      })
      .returning({ id: reviews.id });
    await tx.insert(reviewDecisions).values({
      workspaceId,
      reviewId: (decided as { id: string }).id,
      teamId: payments,
      periodId: currentPeriod,
      kind: 'shift_effort',
      summary: 'Move one engineer from invoicing to SEPA and iDEAL for two weeks.',
      ownerId: personId.get('Priya Natarajan') ?? null,
      dueOn: new Date(t - 7 * DAY).toISOString().slice(0, 10),
      createdById: sam.id,
      createdAt: new Date(t - 14 * DAY),
    });
    await tx.insert(reviews).values({
      workspaceId,
      teamId: payments,
      periodId: currentPeriod,
      notes: 'Short review: no change this week.',
      figures: {
        coverage: 0.66,
        fit: 0.8,
        allocationDrift: 0.11,
        coverageDriftFlagged: true,
        starved: [],
        unlinkedItems: 12,
      },
      heldById: sam.id,
      heldAt: new Date(t - 7 * DAY),
    });

    return { ...summary, token: token.token, items: itemValues.length, objectives: OBJECTIVES.length };
  });
}
