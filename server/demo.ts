/**
 * The demo workspace: a payments company's objective tree for the current quarter (and the last),
 * a dozen people on four teams, and a few hundred tickets on GitHub, Jira and Asana over eight weeks,
 * some linked, some not, some stale, with coverage slipping lately so the drift series has a shape.
 * Deterministic for a given day, so screenshots and tests see the same workspace.
 */
import { eq } from 'drizzle-orm';
import { DAY } from '../lib/server/metrics';
import { formatRef, projectOfRef, type Source, type TicketRef } from '../lib/shared/contract';
import { createToken, createUser } from './accounts';
import type { Db } from './db';
import {
  keyResults,
  links,
  objectives,
  periods,
  reviewDecisions,
  reviews,
  statusUpdates,
  teams,
  workItems,
  workspaces,
} from './db/schema';

export const DEMO_SLUG = 'demo';

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

const PEOPLE = [
  { name: 'Sam Rivera', email: 'sam@acme.example', team: 'Payments', github: 'samrivera', role: 'admin' as const },
  { name: 'Priya Natarajan', email: 'priya@acme.example', team: 'Payments', github: 'priyan' },
  { name: 'Jonas Weber', email: 'jonas@acme.example', team: 'Payments', github: 'jweber' },
  { name: 'Amara Okafor', email: 'amara@acme.example', team: 'Platform', github: 'amarao' },
  { name: 'Lucas Martin', email: 'lucas@acme.example', team: 'Platform', github: 'lmartin' },
  { name: 'Mei Chen', email: 'mei@acme.example', team: 'Platform', github: 'meichen' },
  { name: 'Diego Alvarez', email: 'diego@acme.example', team: 'Growth', github: 'dalvarez' },
  { name: 'Hannah Schmidt', email: 'hannah@acme.example', team: 'Growth', github: 'hschmidt' },
  { name: 'Kofi Mensah', email: 'kofi@acme.example', team: 'Mobile', github: 'kofim' },
  { name: 'Sofia Rossi', email: 'sofia@acme.example', team: 'Mobile', github: 'srossi' },
  { name: 'Elena Petrova', email: 'elena@acme.example', team: null, github: 'epetrova', role: 'admin' as const },
];

interface ObjectiveSeed {
  key: string;
  title: string;
  description: string;
  team: string | null;
  owner: string;
  priority: number;
  parent?: string;
  status?: 'active' | 'achieved' | 'missed' | 'dropped';
  previous?: boolean;
  /** Days since the last status update; null: never updated. */
  updatedDaysAgo: number | null;
  health?: 'on_track' | 'at_risk' | 'off_track';
  krs: [string, number, number, number, string][];
}

const OBJECTIVES: ObjectiveSeed[] = [
  {
    key: 'revenue',
    title: 'Grow revenue from enterprise customers',
    description: 'Enterprise accounts are where the margin is this year.',
    team: null,
    owner: 'Elena Petrova',
    priority: 5,
    updatedDaysAgo: 6,
    health: 'on_track',
    krs: [
      ['Enterprise ARR', 4.2, 6, 4.9, 'M€'],
      ['Enterprise logos signed', 18, 30, 23, ''],
    ],
  },
  {
    key: 'reliability',
    title: 'Make payments reliable at scale',
    description: 'Every payment succeeds or fails fast, at twice today’s volume.',
    team: null,
    owner: 'Elena Petrova',
    priority: 4,
    updatedDaysAgo: 9,
    health: 'at_risk',
    krs: [['Payment success rate', 97.1, 99.5, 98.2, '%']],
  },
  {
    key: 'mobile-ga',
    title: 'Ship the mobile app to general availability',
    description: 'Field agents take payments from their phones.',
    team: null,
    owner: 'Elena Petrova',
    priority: 3,
    updatedDaysAgo: 12,
    health: 'on_track',
    krs: [['Weekly active mobile users', 0, 5000, 1800, '']],
  },
  {
    key: 'checkout-latency',
    title: 'Cut checkout latency in half',
    description: 'Checkout p95 from 1.8 s to 0.9 s: cache tax rates, parallelise fraud checks.',
    team: 'Payments',
    owner: 'Sam Rivera',
    priority: 5,
    parent: 'reliability',
    updatedDaysAgo: 4,
    health: 'at_risk',
    krs: [
      ['Checkout p95 latency', 1.8, 0.9, 1.4, 's'],
      ['Fraud check p95', 600, 250, 420, 'ms'],
    ],
  },
  {
    key: 'invoicing',
    title: 'Launch invoicing for enterprise accounts',
    description: 'Monthly invoices, PDF and e-invoice, net-30 terms.',
    team: 'Payments',
    owner: 'Priya Natarajan',
    priority: 4,
    parent: 'revenue',
    updatedDaysAgo: 3,
    health: 'on_track',
    krs: [
      ['Enterprise accounts invoiced', 0, 25, 11, ''],
      ['Invoice disputes', 12, 3, 7, '%'],
    ],
  },
  {
    key: 'sepa',
    title: 'Support SEPA and iDEAL payment methods',
    description: 'European payment methods for enterprise buyers.',
    team: 'Payments',
    owner: 'Jonas Weber',
    priority: 2,
    parent: 'revenue',
    updatedDaysAgo: 24,
    krs: [['Share of EU volume on SEPA or iDEAL', 0, 30, 8, '%']],
  },
  {
    key: 'availability',
    title: 'Reach 99.95% API availability',
    description: 'Multi-zone database, graceful degradation, fewer pages at night.',
    team: 'Platform',
    owner: 'Amara Okafor',
    priority: 4,
    parent: 'reliability',
    updatedDaysAgo: 5,
    health: 'on_track',
    krs: [
      ['API availability', 99.82, 99.95, 99.9, '%'],
      ['Pages per week', 14, 4, 8, ''],
    ],
  },
  {
    key: 'ledger',
    title: 'Migrate the ledger to PostgreSQL 17',
    description: 'Partitioned ledger tables, online migration, no downtime.',
    team: 'Platform',
    owner: 'Lucas Martin',
    priority: 2,
    parent: 'reliability',
    updatedDaysAgo: 33,
    krs: [['Ledger partitions migrated', 0, 48, 20, '']],
  },
  {
    key: 'conversion',
    title: 'Raise trial-to-paid conversion to 12%',
    description: 'Pricing page, trial emails, in-app upgrade prompts.',
    team: 'Growth',
    owner: 'Diego Alvarez',
    priority: 4,
    parent: 'revenue',
    updatedDaysAgo: 8,
    health: 'off_track',
    krs: [['Trial-to-paid conversion', 8.5, 12, 9.1, '%']],
  },
  {
    key: 'onboarding',
    title: 'Self-serve onboarding for teams',
    description: 'A team signs up, invites colleagues and takes a first payment without sales.',
    team: 'Growth',
    owner: 'Hannah Schmidt',
    priority: 3,
    parent: 'revenue',
    updatedDaysAgo: 10,
    health: 'on_track',
    krs: [
      ['Teams onboarded without sales', 0, 200, 64, ''],
      ['Median time to first payment', 6, 1, 3, 'days'],
    ],
  },
  {
    key: 'mobile-release',
    title: 'Release iOS and Android 1.0',
    description: 'Store approval, crash-free sessions, card reader support.',
    team: 'Mobile',
    owner: 'Kofi Mensah',
    priority: 3,
    parent: 'mobile-ga',
    updatedDaysAgo: 2,
    health: 'on_track',
    krs: [['Crash-free sessions', 97, 99.5, 98.8, '%']],
  },
  {
    key: 'offline',
    title: 'Offline mode for field agents',
    description: 'Queue payments without a connection and sync them later.',
    team: 'Mobile',
    owner: 'Sofia Rossi',
    priority: 1,
    parent: 'mobile-ga',
    updatedDaysAgo: 15,
    krs: [['Payments taken offline and synced', 0, 1000, 90, '']],
  },
  {
    key: 'svelte-admin',
    title: 'Rewrite the admin console in Svelte',
    description: 'Dropped in week 5: the React console is good enough.',
    team: 'Growth',
    owner: 'Hannah Schmidt',
    priority: 1,
    status: 'dropped',
    updatedDaysAgo: 20,
    krs: [],
  },
  {
    key: 'partner-api',
    title: 'Launch the partner API',
    description: 'Public REST API for resellers.',
    team: 'Platform',
    owner: 'Amara Okafor',
    priority: 3,
    status: 'achieved',
    previous: true,
    updatedDaysAgo: 55,
    krs: [['Partners live on the API', 0, 10, 12, '']],
  },
  {
    key: 'soc2',
    title: 'Pass the SOC 2 Type II audit',
    description: 'Evidence collection and controls.',
    team: 'Platform',
    owner: 'Mei Chen',
    priority: 2,
    status: 'missed',
    previous: true,
    updatedDaysAgo: 52,
    krs: [],
  },
];

/** Where each team works, and what its tickets are about (words that meet its objectives). */
const TEAM_WORK: Record<string, { github: string; jira: string; asana: boolean; topics: [string, string[]][] }> = {
  Payments: {
    github: 'acme/payments-api',
    jira: 'PAY',
    asana: false,
    topics: [
      [
        'checkout-latency',
        [
          'Cache tax rates in checkout',
          'Parallelise fraud checks on checkout',
          'Checkout latency: trim card tokenisation round trip',
          'Profile slow checkout for large carts',
          'Fraud check timeout spikes at p95',
        ],
      ],
      [
        'invoicing',
        [
          'Invoice PDF rendering for enterprise accounts',
          'Net-30 terms on enterprise invoices',
          'E-invoice export (XRechnung)',
          'Invoice dispute workflow',
          'Monthly invoice run for enterprise accounts',
          'Credit notes on invoices',
        ],
      ],
      ['sepa', ['SEPA direct debit mandates', 'iDEAL payment method in checkout', 'SEPA payout reconciliation']],
    ],
  },
  Platform: {
    github: 'acme/platform-infra',
    jira: 'PLAT',
    asana: false,
    topics: [
      [
        'availability',
        [
          'Multi-zone failover for the API database',
          'Graceful degradation when fraud service is down',
          'Reduce night pages from disk alerts',
          'API availability SLO dashboard',
          'Load shedding on the payments API',
        ],
      ],
      [
        'ledger',
        [
          'Partition ledger tables by month',
          'Online migration of ledger to PostgreSQL 17',
          'Ledger migration dry run on staging',
        ],
      ],
    ],
  },
  Growth: {
    github: 'acme/web',
    jira: 'GROW',
    asana: true,
    topics: [
      [
        'conversion',
        [
          'Pricing page experiment: annual plans',
          'Trial reminder emails day 3 and day 10',
          'In-app upgrade prompt for trial teams',
          'Conversion funnel events for trials',
        ],
      ],
      [
        'onboarding',
        [
          'Invite colleagues during onboarding',
          'Team sign-up without sales call',
          'First payment checklist in onboarding',
          'Onboarding emails for new teams',
        ],
      ],
      ['svelte-admin', ['Port admin users table to Svelte']],
    ],
  },
  Mobile: {
    github: 'acme/mobile',
    jira: 'MOB',
    asana: false,
    topics: [
      [
        'mobile-release',
        [
          'Card reader pairing on Android',
          'Crash on iOS 18 when resuming payment',
          'Store review notes for 1.0',
          'Crash-free sessions: fix image cache leak',
        ],
      ],
      ['offline', ['Queue payments while offline', 'Sync offline payments on reconnect']],
    ],
  },
};

const CHORES = [
  'Bump dependencies',
  'Flaky test in CI',
  'Update README screenshots',
  'Investigate memory growth in worker',
  'Rename config flags',
  'Clean up feature flags',
  'Customer escalation: export missing rows',
  'Upgrade Node to 22',
];

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
