/** The workspace's scope: what is the company's work, declared by its admins. */
import { z } from 'zod';
import { isHostName } from '../ref';
import { SCOPE_KINDS, targetProblem } from '../scope';
import { Id, NextCursor, PAGE_LIMITS, pageQuery, Source, Timestamp, text } from './base';
import { PersonRef } from './people';

export const ScopeKind = z.enum(['host', 'organization', 'repository', 'project', 'workspace']);

export const ScopeTarget = z
  .strictObject({
    source: Source,
    host: text(300).refine(isHostName, 'must be a lower-case host name, like github.com or acme.atlassian.net'),
    kind: ScopeKind,
    value: text(300).trim().default(''),
  })
  .superRefine((target, ctx) => {
    const problem = targetProblem(target);
    if (problem)
      ctx.addIssue({
        code: 'custom',
        path: [SCOPE_KINDS[target.source].includes(target.kind) ? 'value' : 'kind'],
        message: problem,
      });
  });
export type ScopeTarget = z.infer<typeof ScopeTarget>;

/** Declare by the fields, or by pasting a URL (of an organisation, repository, project, site or workspace). */
export const ScopeEntryCreate = z.union([
  ScopeTarget,
  z.strictObject({
    url: text(2_000),
    /** Which host a self-hosted server is (GitHub Enterprise, Jira Server / Data Center). */
    selfHosted: Source.optional(),
  }),
]);
export type ScopeEntryCreate = z.input<typeof ScopeEntryCreate>;

export const ScopeEntry = z.object({
  id: Id,
  source: Source,
  host: z.string(),
  kind: ScopeKind,
  value: z.string(),
  /** As a person reads it: "repository acme/api on github.com". */
  description: z.string(),
  createdBy: PersonRef.nullable(),
  createdAt: Timestamp,
});
export type ScopeEntry = z.infer<typeof ScopeEntry>;
export const ScopeEntries = z.object({ entries: z.array(ScopeEntry), nextCursor: NextCursor });
export const ScopeFilters = z.strictObject(pageQuery(PAGE_LIMITS.scope, 200));
