/** Import and export of objectives against a workspace: used by the CLI and the import route. */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import {
  type ExportObjective,
  type ImportObjectiveRow,
  parseObjectivesFile,
  serializeObjectives,
} from '../lib/server/objective-file-format';
import type { ImportResult, ImportRowError } from '../lib/shared/contract';
import type { Db } from './db';
import { keyResults, objectives, periods, teams, users } from './db/schema';
import { loadObjectives } from './queries';

class Rollback extends Error {}

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest row. */
const INSERT_BATCH = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates every row against the workspace and writes all of them in one transaction, or none:
 * any error, or `dryRun`, rolls the whole import back.
 */
export async function importObjectives(
  db: Db,
  workspaceId: string,
  input: { format: 'yaml' | 'csv'; content: string; dryRun: boolean },
  now: Date,
  /** Told as each objective of the file is checked and written, for a progress bar. */
  onProgress?: (done: number, total: number) => void,
): Promise<ImportResult> {
  const parsed = parseObjectivesFile(input.format, input.content);
  const errors: ImportRowError[] = [...parsed.errors];
  const counts = {
    objectives: parsed.objectives.length,
    keyResults: parsed.objectives.reduce((n, o) => n + o.keyResults.length, 0),
    created: 0,
    updated: 0,
  };
  const result = (valid: boolean): ImportResult => ({ dryRun: input.dryRun, valid, ...counts, errors });
  if (errors.length > 0) return result(false);

  try {
    await db.transaction(async (tx) => {
      // One after another: a transaction is one connection, which runs one query at a time.
      const periodRows = await tx.select().from(periods).where(eq(periods.workspaceId, workspaceId));
      const userRows = await tx.select().from(users).where(eq(users.workspaceId, workspaceId));
      const teamRows = await tx.select().from(teams).where(eq(teams.workspaceId, workspaceId));
      const objectiveRows = await tx
        .select({ id: objectives.id, title: objectives.title })
        .from(objectives)
        .where(eq(objectives.workspaceId, workspaceId));
      const periodByName = new Map(periodRows.map((p) => [p.name, p.id]));
      for (const p of parsed.periods) {
        if (periodByName.has(p.name)) continue;
        if (p.endsOn < p.startsOn) {
          errors.push({ row: p.row, field: 'periods.endsOn', message: 'must not be before startsOn' });
          continue;
        }
        const [row] = await tx
          .insert(periods)
          .values({ workspaceId, name: p.name, startsOn: p.startsOn, endsOn: p.endsOn })
          .returning({ id: periods.id });
        periodByName.set(p.name, (row as { id: string }).id);
      }

      const findUser = (value: string) => {
        const byEmail = userRows.filter((u) => u.email?.toLowerCase() === value.toLowerCase());
        return byEmail.length ? byEmail : userRows.filter((u) => u.name === value);
      };
      const existingIds = new Set(objectiveRows.map((o) => o.id));
      const existingByTitle = new Map<string, string[]>();
      for (const o of objectiveRows) existingByTitle.set(o.title, [...(existingByTitle.get(o.title) ?? []), o.id]);
      const fileKeys = new Map<string, ImportObjectiveRow>();
      for (const o of parsed.objectives) if (o.key) fileKeys.set(o.key, o);

      // First pass: resolve names; update existing objectives, and gather new ones (their ids made
      // here, so parents can name them) to insert in batches.
      const idOfRow = new Map<ImportObjectiveRow, string>();
      const newObjectives: (typeof objectives.$inferInsert)[] = [];
      const newKeyResults: (typeof keyResults.$inferInsert)[] = [];
      let done = 0;
      for (const o of parsed.objectives) {
        onProgress?.(done++, parsed.objectives.length);
        const periodId = periodByName.get(o.period);
        if (!periodId) errors.push({ row: o.row, field: 'period', message: `no period named "${o.period}"` });
        let ownerId: string | null = null;
        if (o.owner) {
          const matches = findUser(o.owner);
          if (matches.length === 1) ownerId = (matches[0] as { id: string }).id;
          else {
            errors.push({
              row: o.row,
              field: 'owner',
              message: matches.length ? `"${o.owner}" names several people` : `no person "${o.owner}"`,
            });
          }
        }
        let teamId: string | null = null;
        if (o.team) {
          teamId = teamRows.find((t) => t.name === o.team)?.id ?? null;
          if (!teamId) errors.push({ row: o.row, field: 'team', message: `no team named "${o.team}"` });
        }
        if (o.id && !(UUID.test(o.id) && existingIds.has(o.id))) {
          errors.push({ row: o.row, field: 'id', message: `no objective ${o.id} in this workspace` });
        }
        if (!periodId || errors.some((e) => e.row === o.row)) continue;

        const values = {
          title: o.title,
          description: o.description ?? '',
          periodId,
          ownerId,
          teamId,
          priorityWeight: o.priority ?? 1,
          status: o.status ?? 'active',
          updateCadenceDays: o.cadenceDays ?? 14,
          updatedAt: now,
        };
        let id: string;
        if (o.id) {
          // An update changes what the row says and keeps what it leaves out.
          const [current] = await tx.select().from(objectives).where(eq(objectives.id, o.id));
          const status = o.status ?? current?.status ?? 'active';
          const closedAt = status === 'active' ? null : current?.status === 'active' ? now : (current?.closedAt ?? now);
          await tx
            .update(objectives)
            .set({
              title: o.title,
              periodId,
              ...(o.description !== undefined && { description: o.description }),
              ...(o.owner !== undefined && { ownerId }),
              ...(o.team !== undefined && { teamId }),
              ...(o.priority !== undefined && { priorityWeight: o.priority }),
              ...(o.cadenceDays !== undefined && { updateCadenceDays: o.cadenceDays }),
              status,
              closedAt,
              updatedAt: now,
            })
            .where(and(eq(objectives.id, o.id), eq(objectives.workspaceId, workspaceId)));
          id = o.id;
          counts.updated++;
        } else {
          id = randomUUID();
          newObjectives.push({
            id,
            workspaceId,
            ...values,
            closedAt: values.status === 'active' ? null : now,
            createdAt: now,
          });
          counts.created++;
        }
        idOfRow.set(o, id);

        for (const kr of o.keyResults) {
          const krValues = {
            title: kr.title,
            startValue: kr.start ?? 0,
            targetValue: kr.target,
            currentValue: kr.current ?? kr.start ?? 0,
            unit: kr.unit ?? '',
            updatedAt: now,
          };
          if (kr.id) {
            const updated = UUID.test(kr.id)
              ? await tx
                  .update(keyResults)
                  .set(krValues)
                  .where(
                    and(
                      eq(keyResults.id, kr.id),
                      eq(keyResults.objectiveId, id),
                      eq(keyResults.workspaceId, workspaceId),
                    ),
                  )
                  .returning({ id: keyResults.id })
              : [];
            if (updated.length === 0) {
              errors.push({
                row: kr.row,
                field: 'keyResults.id',
                message: `no key result ${kr.id} under this objective`,
              });
            }
          } else {
            newKeyResults.push({ workspaceId, objectiveId: id, ...krValues });
          }
        }
      }

      // New rows go in by the hundred: one statement per row made a 2,000-objective file take seconds.
      if (errors.length === 0) {
        for (let at = 0; at < newObjectives.length; at += INSERT_BATCH) {
          await tx.insert(objectives).values(newObjectives.slice(at, at + INSERT_BATCH));
        }
        for (let at = 0; at < newKeyResults.length; at += INSERT_BATCH) {
          await tx.insert(keyResults).values(newKeyResults.slice(at, at + INSERT_BATCH));
        }
      }

      // Second pass: parents, once every objective of the file has an id.
      for (const o of parsed.objectives) {
        const id = idOfRow.get(o);
        if (!o.parent || !id) continue;
        const inFile = fileKeys.get(o.parent);
        const byTitle = existingByTitle.get(o.parent) ?? [];
        const parentId = inFile
          ? idOfRow.get(inFile)
          : existingIds.has(o.parent)
            ? o.parent
            : byTitle.length === 1
              ? byTitle[0]
              : undefined;
        if (!parentId || parentId === id) {
          errors.push({
            row: o.row,
            field: 'parent',
            message:
              parentId === id
                ? 'an objective cannot be its own parent'
                : byTitle.length > 1
                  ? `"${o.parent}" names several objectives`
                  : `no objective "${o.parent}" in the file or the workspace`,
          });
          continue;
        }
        await tx.update(objectives).set({ parentId }).where(eq(objectives.id, id));
      }

      if (errors.length === 0) {
        const tree = await tx
          .select({ id: objectives.id, parentId: objectives.parentId })
          .from(objectives)
          .where(eq(objectives.workspaceId, workspaceId));
        const parentOf = new Map(tree.map((t) => [t.id, t.parentId]));
        for (const [o, id] of idOfRow) {
          const seen = new Set<string>();
          for (let at = parentOf.get(id); at; at = parentOf.get(at)) {
            if (at === id || seen.has(at)) {
              errors.push({ row: o.row, field: 'parent', message: 'the parents form a cycle' });
              break;
            }
            seen.add(at);
          }
        }
      }
      if (errors.length > 0 || input.dryRun) throw new Rollback();
      onProgress?.(parsed.objectives.length, parsed.objectives.length);
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  errors.sort((a, b) => a.row - b.row);
  if (errors.length > 0) return { ...result(false), created: 0, updated: 0 };
  return result(true);
}

export async function exportObjectives(
  db: Db,
  workspaceId: string,
  format: 'yaml' | 'csv',
  periodId?: string,
): Promise<string> {
  const [all, people] = await Promise.all([
    loadObjectives(db, workspaceId, periodId ? [eq(objectives.periodId, periodId)] : []),
    db
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(eq(users.workspaceId, workspaceId)),
  ]);
  const ownerName = new Map(people.map((p) => [p.id, p.email ?? p.name]));
  const rows: ExportObjective[] = all.map((o) => ({
    id: o.id,
    title: o.title,
    description: o.description,
    period: o.period.name,
    owner: o.owner ? (ownerName.get(o.owner.id) ?? o.owner.name) : null,
    team: o.team?.name ?? null,
    priority: o.priorityWeight,
    status: o.status,
    parent: o.parentId,
    cadenceDays: o.updateCadenceDays,
    keyResults: o.keyResults.map((kr) => ({
      id: kr.id,
      title: kr.title,
      start: kr.startValue,
      target: kr.targetValue,
      current: kr.currentValue,
      unit: kr.unit,
    })),
  }));
  return serializeObjectives(format, rows);
}
