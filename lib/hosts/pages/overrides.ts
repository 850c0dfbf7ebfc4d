/**
 * Host fixes as data. When GitHub, Jira or Asana move an element, a workspace admin publishes CSS
 * selectors for it (`PUT /v1/host-selectors`, or `throughline host-selectors publish`), and every
 * extension of the workspace tries them before its built-in selector generations, without waiting
 * for a store release. Selectors and nothing else: strings parsed as CSS selectors
 * (selector-check.ts), only ever given to `querySelectorAll`; no code is fetched or run (store
 * rules forbid remote code).
 *
 * The shape, one object per host, one list per field (the adapters' own `SELECTORS` names):
 *   { "jira": { "title": ["[data-testid='issue-view-summary'] h1"] }, "github": { "state": [...] } }
 */
import { z } from 'zod';
import { PersonRef, Timestamp } from '../../shared/contract';
import { selectorProblem } from './selector-check';
import { OVERRIDABLE } from './types';

export { OVERRIDABLE } from './types';

export const MAX_SELECTORS_PER_FIELD = 10;
export const MAX_SELECTOR_LENGTH = 500;

export const CssSelector = z
  .string({ error: 'must be a CSS selector (a string)' })
  .trim()
  .max(MAX_SELECTOR_LENGTH, `must be at most ${MAX_SELECTOR_LENGTH} characters`)
  .superRefine((value, ctx) => {
    const problem = selectorProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const SelectorList = z
  .array(CssSelector, { error: 'must be a list of CSS selectors' })
  .min(1, 'must list at least one selector (leave the field out to use the built-in ones)')
  .max(MAX_SELECTORS_PER_FIELD, `must list at most ${MAX_SELECTORS_PER_FIELD} selectors`);

/** One host's published selectors: only that adapter's field names, each a list tried in order. */
function hostOverrides<const F extends readonly string[]>(fields: F) {
  const shape = Object.fromEntries(fields.map((field) => [field, SelectorList.optional()])) as {
    [K in F[number]]: z.ZodOptional<typeof SelectorList>;
  };
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.join(', ')}; the fields are ${fields.join(', ')}`
        : 'must be an object of selector lists',
  });
}

/** What an admin publishes: per host, per field, the selectors to try first. */
export const HostSelectorOverrides = z.strictObject(
  {
    github: hostOverrides(OVERRIDABLE.github).optional(),
    jira: hostOverrides(OVERRIDABLE.jira).optional(),
    asana: hostOverrides(OVERRIDABLE.asana).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown host ${issue.keys.join(', ')}; the hosts are github, jira, asana`
        : 'must be an object',
  },
);
export type HostSelectorOverrides = z.infer<typeof HostSelectorOverrides>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What this version can use of a published document, read per host, field and selector: whatever
 * the strict check refuses is left out and named in `dropped`, the rest kept. A document is checked
 * when it is published, but a newer server may accept a field or pseudo-class this extension does
 * not know, and a stored document may predate a check tightened since: neither takes the valid
 * selectors down with it. What it answers always passes `HostSelectorOverrides`.
 */
export function usableOverrides(raw: unknown): { selectors: HostSelectorOverrides; dropped: string[] } {
  if (!isObject(raw)) return { selectors: {}, dropped: ['must be an object'] };
  const selectors: Record<string, Record<string, string[]>> = {};
  const dropped: string[] = [];
  for (const [host, fields] of Object.entries(raw)) {
    if (!Object.hasOwn(OVERRIDABLE, host)) {
      dropped.push(`${host}: unknown host; the hosts are ${Object.keys(OVERRIDABLE).join(', ')}`);
      continue;
    }
    if (!isObject(fields)) {
      dropped.push(`${host}: must be an object of selector lists`);
      continue;
    }
    const known: readonly string[] = OVERRIDABLE[host as keyof typeof OVERRIDABLE];
    const kept: Record<string, string[]> = {};
    for (const [field, list] of Object.entries(fields)) {
      if (!known.includes(field)) {
        dropped.push(`${host}.${field}: unknown field; the fields are ${known.join(', ')}`);
        continue;
      }
      if (!Array.isArray(list)) {
        dropped.push(`${host}.${field}: must be a list of CSS selectors`);
        continue;
      }
      const valid: string[] = [];
      for (const [i, value] of list.slice(0, MAX_SELECTORS_PER_FIELD).entries()) {
        const selector = CssSelector.safeParse(value);
        if (selector.success) valid.push(selector.data);
        else dropped.push(`${host}.${field}.${i}: ${selector.error.issues[0]?.message ?? 'not valid'}`);
      }
      if (list.length > MAX_SELECTORS_PER_FIELD) {
        dropped.push(
          `${host}.${field}: the ${list.length - MAX_SELECTORS_PER_FIELD} selectors after the first ${MAX_SELECTORS_PER_FIELD} (a field lists at most ${MAX_SELECTORS_PER_FIELD})`,
        );
      }
      if (valid.length) kept[field] = valid;
    }
    if (Object.keys(kept).length) selectors[host] = kept;
  }
  return { selectors: selectors as HostSelectorOverrides, dropped };
}

/**
 * `GET /v1/host-selectors` as an extension reads it: the selectors it can use (`usableOverrides`),
 * anything else of the answer ignored, so a newer server's document never makes it refuse them all.
 */
export const PublishedSelectors = z
  .object({ selectors: z.unknown() })
  .transform(({ selectors }) => usableOverrides(selectors).selectors);

/** `GET /v1/host-selectors` and the answer to a publication. */
export const HostSelectors = z.object({
  selectors: HostSelectorOverrides,
  /**
   * What the stored document holds that this server no longer accepts (a check tightened since it
   * was published), left out of `selectors`; normally empty.
   */
  dropped: z.array(z.string()),
  /** When they were last published; null when never. */
  updatedAt: Timestamp.nullable(),
  /** Who published them through the API; null when never, or through the CLI. */
  updatedBy: PersonRef.nullable(),
});
export type HostSelectors = z.infer<typeof HostSelectors>;
