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

/** `GET /v1/host-selectors` and the answer to a publication. */
export const HostSelectors = z.object({
  selectors: HostSelectorOverrides,
  /** When they were last published; null when never. */
  updatedAt: Timestamp.nullable(),
  /** Who published them through the API; null when never, or through the CLI. */
  updatedBy: PersonRef.nullable(),
});
export type HostSelectors = z.infer<typeof HostSelectors>;
