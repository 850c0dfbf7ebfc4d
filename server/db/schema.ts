import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const workspaceId = () =>
  uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id, { onDelete: 'cascade' });

export const workspaces = pgTable('workspaces', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  /** Overrides of the metric thresholds (lib/server/metrics.ts `defaultThresholds`). */
  settings: jsonb('settings').notNull().default({}),
  createdAt: createdAt(),
});

export const teams = pgTable(
  'teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('teams_workspace_name').on(t.workspaceId, t.name)],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    email: text('email'),
    role: text('role', { enum: ['admin', 'member'] })
      .notNull()
      .default('member'),
    githubLogin: text('github_login'),
    jiraName: text('jira_name'),
    jiraAccountId: text('jira_account_id'),
    asanaName: text('asana_name'),
    /** The person's Asana user gid: matched from a connector's accounts by name, or set by an admin. */
    asanaGid: text('asana_gid'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_workspace_email').on(t.workspaceId, t.email), index('users_workspace').on(t.workspaceId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The first characters of the token, shown so people can tell tokens apart. */
    displayPrefix: text('display_prefix').notNull(),
    /** SHA-256 of the whole token, hex. The token itself is never stored. */
    hash: text('hash').notNull().unique(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_workspace').on(t.workspaceId)],
);

export const periods = pgTable(
  'periods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('periods_workspace_name').on(t.workspaceId, t.name)],
);

export const objectives = pgTable(
  'objectives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    periodId: uuid('period_id')
      .notNull()
      .references(() => periods.id),
    parentId: uuid('parent_id').references((): AnyPgColumn => objectives.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    priorityWeight: doublePrecision('priority_weight').notNull().default(1),
    status: text('status', { enum: ['active', 'achieved', 'missed', 'dropped'] })
      .notNull()
      .default('active'),
    /** Health from the latest status update while active: on_track, at_risk or off_track. */
    health: text('health', { enum: ['on_track', 'at_risk', 'off_track'] }),
    updateCadenceDays: integer('update_cadence_days').notNull().default(14),
    lastUpdateAt: timestamp('last_update_at', { withTimezone: true }),
    /** When the status left `active`; null while active. Lets past weeks be measured as they were. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('objectives_workspace_period').on(t.workspaceId, t.periodId)],
);

export const keyResults = pgTable(
  'key_results',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    objectiveId: uuid('objective_id')
      .notNull()
      .references(() => objectives.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    startValue: doublePrecision('start_value').notNull().default(0),
    targetValue: doublePrecision('target_value').notNull(),
    currentValue: doublePrecision('current_value').notNull().default(0),
    unit: text('unit').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('key_results_objective').on(t.objectiveId)],
);

export const statusUpdates = pgTable(
  'status_updates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    objectiveId: uuid('objective_id')
      .notNull()
      .references(() => objectives.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    status: text('status', {
      enum: ['on_track', 'at_risk', 'off_track', 'achieved', 'missed', 'dropped'],
    }).notNull(),
    note: text('note').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('status_updates_objective').on(t.objectiveId, t.createdAt)],
);

export const workItems = pgTable(
  'work_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    /** `source:host/key`, see lib/shared/contract.ts. */
    ref: text('ref').notNull(),
    /**
     * A ticket, or a container: a milestone, label, Project, Asana project or section
     * (lib/shared/ref.ts), or a ticket so far only named as another's parent or epic. Containers
     * carry links down to their tickets and count in no figure themselves.
     */
    kind: text('kind', { enum: ['ticket', 'container'] })
      .notNull()
      .default('ticket'),
    source: text('source', { enum: ['github', 'jira', 'asana'] }).notNull(),
    host: text('host').notNull(),
    key: text('key').notNull(),
    url: text('url'),
    title: text('title').notNull().default(''),
    state: text('state'),
    /** Whether the host's state means done: closes the item for the metrics. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    assignees: text('assignees').array().notNull().default(sql`'{}'::text[]`),
    project: text('project'),
    estimate: doublePrecision('estimate'),
    /**
     * Where each recorded field came from and when: `{ title: { source: 'page', at } , ... }`, also
     * `closed` and `containers.<slot>` (server/record-writes.ts). A weaker source never overwrites it.
     */
    fieldSources: jsonb('field_sources').notNull().default({}),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * What only a host's API says (server/sync.ts): the ticket's stable id there, which survives a
     * move to another repository or project; its state's category; its assignees' account ids
     * (in the order of `assignees`); its own created and updated times.
     */
    hostId: text('host_id'),
    stateCategory: text('state_category', { enum: ['open', 'in_progress', 'done'] }),
    assigneeIds: text('assignee_ids').array(),
    createdOnHost: timestamp('created_on_host', { withTimezone: true }),
    updatedOnHost: timestamp('updated_on_host', { withTimezone: true }),
    /** When a connector last read it from its host (a full sync checks the tickets it did not read). */
    syncedAt: timestamp('synced_at', { withTimezone: true }),
    /** When its host said it no longer exists (deleted, or gone for good): it leaves every figure, its links kept as history. */
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('work_items_workspace_ref').on(t.workspaceId, t.ref),
    index('work_items_workspace_project').on(t.workspaceId, t.project),
    uniqueIndex('work_items_host_id').on(t.workspaceId, t.source, t.host, t.hostId).where(sql`${t.hostId} is not null`),
  ],
);

export const links = pgTable(
  'links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    workItemId: uuid('work_item_id')
      .notNull()
      .references(() => workItems.id, { onDelete: 'cascade' }),
    objectiveId: uuid('objective_id')
      .notNull()
      .references(() => objectives.id, { onDelete: 'cascade' }),
    keyResultId: uuid('key_result_id').references(() => keyResults.id, { onDelete: 'set null' }),
    /** Contribution weight when an item serves several objectives unevenly; null splits evenly. */
    weight: doublePrecision('weight'),
    idempotencyKey: text('idempotency_key'),
    /**
     * SHA-256 of the request that first used `idempotencyKey` (ref, objective, key result, weight):
     * a reuse of the key with another payload is refused. Null on links linked without a key and
     * on keyed links made before it was kept (their own columns are compared instead).
     */
    idempotencyFingerprint: text('idempotency_fingerprint'),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedById: uuid('ended_by_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    // One live link per item and objective; ended links stay as history.
    uniqueIndex('links_live_item_objective').on(t.workItemId, t.objectiveId).where(sql`${t.endedAt} is null`),
    uniqueIndex('links_workspace_idempotency_key').on(t.workspaceId, t.idempotencyKey),
    index('links_workspace_objective').on(t.workspaceId, t.objectiveId),
    index('links_work_item').on(t.workItemId),
  ],
);

/**
 * Where a ticket sits, with history: the ticket was under the container (a parent ticket, an epic,
 * a milestone, a label, a Project, an Asana project or section) from `startedAt` until `endedAt`.
 * A link on the container made the ticket serve its objective for exactly that time.
 */
export const containments = pgTable(
  'containments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => workItems.id, { onDelete: 'cascade' }),
    containerId: uuid('container_id')
      .notNull()
      .references(() => workItems.id, { onDelete: 'cascade' }),
    /** The field it was read from (lib/shared/ref.ts `ContainerSlot`): a read of that field replaces only its own. */
    slot: text('slot', { enum: ['parent', 'epic', 'milestone', 'labels', 'projects', 'section'] }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('containments_live').on(t.itemId, t.slot, t.containerId).where(sql`${t.endedAt} is null`),
    index('containments_item').on(t.itemId),
    index('containments_container').on(t.containerId),
  ],
);

/**
 * "Not for this goal": a ticket that does not serve an objective it would inherit through a
 * container, from `createdAt` until the exception is withdrawn (`endedAt`).
 */
export const linkExceptions = pgTable(
  'link_exceptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => workItems.id, { onDelete: 'cascade' }),
    objectiveId: uuid('objective_id')
      .notNull()
      .references(() => objectives.id, { onDelete: 'cascade' }),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedById: uuid('ended_by_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('link_exceptions_live').on(t.itemId, t.objectiveId).where(sql`${t.endedAt} is null`),
    index('link_exceptions_workspace_objective').on(t.workspaceId, t.objectiveId),
  ],
);

/** An alignment review that was held: what it saw, kept as it stood, and (below) what it decided. */
export const reviews = pgTable(
  'reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    periodId: uuid('period_id')
      .notNull()
      .references(() => periods.id, { onDelete: 'cascade' }),
    notes: text('notes').notNull().default(''),
    figures: jsonb('figures').notNull(),
    heldById: uuid('held_by_id').references(() => users.id, { onDelete: 'set null' }),
    heldAt: timestamp('held_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('reviews_workspace').on(t.workspaceId, t.heldAt)],
);

export const reviewDecisions = pgTable(
  'review_decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    periodId: uuid('period_id').references(() => periods.id, { onDelete: 'set null' }),
    reviewId: uuid('review_id').references(() => reviews.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['shift_effort', 'reprioritise', 'unblock', 'revise_goal', 'other'] }).notNull(),
    summary: text('summary').notNull(),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    dueOn: date('due_on'),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('review_decisions_workspace').on(t.workspaceId, t.createdAt)],
);

/**
 * Host fixes as data: the CSS selectors a workspace's admins published for the host adapters
 * (lib/hosts/pages/overrides.ts), one document per workspace, replaced as a whole on each publication.
 */
export const hostSelectors = pgTable('host_selectors', {
  id: uuid('id').primaryKey().defaultRandom(),
  workspaceId: workspaceId().unique(),
  /** `{ github?: { title?: [...], ... }, jira?: ..., asana?: ... }`, checked before it is written. */
  selectors: jsonb('selectors').notNull(),
  updatedById: uuid('updated_by_id').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The workspace's scope: what is the company's work (lib/shared/scope.ts). A ticket outside it is
 * not recorded and counts in no figure; with no entry at all, every ticket is in scope.
 */
export const scopeEntries = pgTable(
  'scope_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    source: text('source').notNull(),
    host: text('host').notNull(),
    /** host (a whole site), organization or repository (GitHub), project (Jira, Asana), workspace (Asana). */
    kind: text('kind').notNull(),
    /** The organization, `owner/repo`, project key or gid; '' for a whole host. */
    value: text('value').notNull(),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('scope_entries_unique').on(t.workspaceId, t.source, t.host, t.kind, sql`lower(${t.value})`)],
);

/**
 * A connection to a host's API: where (its base URL) and the credential, sealed by the server's key
 * (server/secrets.ts) and never returned. Admins make and remove them.
 */
export const connections = pgTable(
  'connections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    host: text('host', { enum: ['github', 'jira', 'asana'] }).notNull(),
    baseUrl: text('base_url').notNull(),
    /** The host name its tickets are referenced under: github.com for https://api.github.com. */
    site: text('site').notNull(),
    /** Jira Cloud's account e-mail, which its API tokens go with; null elsewhere. */
    email: text('email'),
    /** What is sealed: a token, or a GitHub App's id, installation and private key (JSON). */
    credential: text('credential', { enum: ['token', 'github_app'] })
      .notNull()
      .default('token'),
    /** `v1.<key id>.<iv>.<data>.<tag>`: AES-256-GCM under the server's key. */
    sealedToken: text('sealed_token').notNull(),
    tokenHint: text('token_hint').notNull(),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('connections_workspace').on(t.workspaceId, t.createdAt)],
);

/**
 * Where each scope of a connection's sync stands (server/sync.ts): written in the transaction of
 * the tickets it covers, so a sync cut short resumes after the last page it stored.
 */
export const syncCursors = pgTable(
  'sync_cursors',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    /** The connector's scope key: `repo:acme/api`, `project:PAY`. */
    scopeKey: text('scope_key').notNull(),
    /** Opaque to the sync: what the connector resumes from. */
    cursor: text('cursor').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.scopeKey] })],
);

/** Each sync of a connection, as it went: when, how, what it did, and why it failed. */
export const syncRuns = pgTable(
  'sync_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    /** `full` reads every ticket of the scope again and notices what is gone; `incremental` reads what changed; `tickets` re-reads named tickets (a webhook's). */
    mode: text('mode', { enum: ['full', 'incremental', 'tickets'] }).notNull(),
    status: text('status', { enum: ['running', 'succeeded', 'failed'] })
      .notNull()
      .default('running'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    removed: integer('removed').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    /** Why it failed, in words; never a credential. */
    error: text('error'),
  },
  (t) => [index('sync_runs_connection').on(t.connectionId, t.startedAt)],
);

/**
 * The secrets webhooks are signed with, sealed like tokens: for GitHub and Jira one the API makes
 * when the connection is made (`name` ''); for Asana each webhook's own, from its handshake.
 */
export const webhookSecrets = pgTable(
  'webhook_secrets',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    sealedSecret: text('sealed_secret').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.name] })],
);

/** Webhook deliveries taken, by the host's delivery id: the same one again is a replay, refused. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    deliveryId: text('delivery_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.deliveryId] }),
    index('webhook_deliveries_received').on(t.receivedAt),
  ],
);
