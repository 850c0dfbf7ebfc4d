/**
 * The workspace's scope: which GitHub organisations and repositories, Jira sites and projects, and
 * Asana workspaces and projects are the company's work. A ticket outside it is neither recorded nor
 * counted. Without zod, so the content scripts can say what would track a ticket.
 */
import { ownerOfRef, projectOfRef, type Source, type TicketRef } from './ref';

export type ScopeKind = 'host' | 'organization' | 'repository' | 'project' | 'workspace';

/** The kinds each host has, broadest first. */
export const SCOPE_KINDS: Record<Source, readonly ScopeKind[]> = {
  github: ['host', 'organization', 'repository'],
  jira: ['host', 'project'],
  asana: ['host', 'workspace', 'project'],
};

export interface ScopeTarget {
  source: Source;
  host: string;
  kind: ScopeKind;
  /** The organisation, `owner/repo`, project key or gid; '' for a whole host. */
  value: string;
}

/** What a page knows of where an Asana task lives, which its reference does not say. */
export interface AsanaPlace {
  workspace?: string | null;
  projects?: readonly string[];
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Whether one entry takes in the ticket. GitHub names are case-insensitive; Jira keys and gids are exact. */
export function entryCovers(entry: ScopeTarget, ref: TicketRef, place: AsanaPlace = {}): boolean {
  if (entry.source !== ref.source || entry.host !== ref.host) return false;
  if (entry.kind === 'host') return true;
  const project = projectOfRef(ref);
  switch (ref.source) {
    case 'github': {
      const owner = ownerOfRef(ref);
      if (entry.kind === 'organization') return owner !== null && same(owner, entry.value);
      return entry.kind === 'repository' && project !== null && same(project, entry.value);
    }
    case 'jira':
      return entry.kind === 'project' && project === entry.value;
    case 'asana':
      if (entry.kind === 'workspace') return place.workspace === entry.value;
      // The project itself (a container), or a task recorded in it.
      return (
        entry.kind === 'project' &&
        (ref.key === `project/${entry.value}` || (place.projects ?? []).includes(entry.value))
      );
  }
}

/** In scope when the workspace declared none (every ticket counts) or when an entry takes it in. */
export function inScope(entries: readonly ScopeTarget[], ref: TicketRef, place?: AsanaPlace): boolean {
  return entries.length === 0 || entries.some((entry) => entryCovers(entry, ref, place));
}

/** The narrowest entry that would track the ticket: its repository, Jira project, or Asana project. */
export function trackingTarget(ref: TicketRef, place: AsanaPlace = {}): ScopeTarget {
  const project = projectOfRef(ref);
  if (project)
    return {
      source: ref.source,
      host: ref.host,
      kind: ref.source === 'jira' ? 'project' : 'repository',
      value: project,
    };
  const owner = ownerOfRef(ref);
  if (owner) return { source: ref.source, host: ref.host, kind: 'organization', value: owner };
  const asanaProject = place.projects?.[0];
  if (asanaProject) return { source: ref.source, host: ref.host, kind: 'project', value: asanaProject };
  return { source: ref.source, host: ref.host, kind: 'host', value: '' };
}

const GITHUB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const GITHUB_REPO = /^[A-Za-z0-9._-]{1,100}$/;
const JIRA_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;
const GID = /^\d{1,30}$/;

/** Checks a target's value for its kind; the reason when it is not one. */
export function targetProblem(target: ScopeTarget): string | null {
  if (!SCOPE_KINDS[target.source].includes(target.kind)) {
    return `${target.source} has no "${target.kind}" scope; use one of ${SCOPE_KINDS[target.source].join(', ')}`;
  }
  const { kind, value } = target;
  if (kind === 'host') return value === '' ? null : 'a whole host takes no value';
  if (kind === 'organization') return GITHUB_NAME.test(value) ? null : `"${value}" is not a GitHub organisation`;
  if (kind === 'repository') {
    const [owner, repo, extra] = value.split('/');
    return owner && repo && extra === undefined && GITHUB_NAME.test(owner) && GITHUB_REPO.test(repo)
      ? null
      : `"${value}" is not a repository like owner/name`;
  }
  if (target.source === 'jira') return JIRA_KEY.test(value) ? null : `"${value}" is not a Jira project key like PAY`;
  if (kind === 'project') return GID.test(value) ? null : `"${value}" is not an Asana project id (digits)`;
  // A task's record names its projects, not its workspace: such an entry would take in no task.
  return `Asana workspaces cannot be told apart yet: declare its projects, or everything on ${target.host} (kind host)`;
}

/**
 * What a pasted URL declares: a GitHub organisation or repository, a Jira site or project, an Asana
 * workspace or project. `selfHosted` says which host a self-hosted server is, which its URL cannot.
 */
export function targetFromUrl(
  text: string,
  selfHosted?: Source,
): { ok: true; target: ScopeTarget } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, reason: `"${text.slice(0, 100)}" is not a URL` };
  }
  const host = url.host.toLowerCase();
  const parts = url.pathname.split('/').filter(Boolean);
  const source: Source | undefined =
    host === 'github.com'
      ? 'github'
      : host.endsWith('.atlassian.net')
        ? 'jira'
        : host === 'app.asana.com'
          ? 'asana'
          : selfHosted;
  if (!source) return { ok: false, reason: `${host} is not GitHub, Jira Cloud or Asana: say which host it is` };
  const target = ((): ScopeTarget => {
    if (source === 'github') {
      if (parts[0] === 'orgs' && parts[1]) return { source, host, kind: 'organization', value: parts[1] };
      if (parts[0] && parts[1]) return { source, host, kind: 'repository', value: `${parts[0]}/${parts[1]}` };
      if (parts[0]) return { source, host, kind: 'organization', value: parts[0] };
      return { source, host, kind: 'host', value: '' };
    }
    if (source === 'jira') {
      const after = (segment: string) => {
        const at = parts.indexOf(segment);
        return at >= 0 ? parts[at + 1] : undefined;
      };
      const key = url.searchParams.get('projectKey') ?? after('projects') ?? after('browse')?.replace(/-\d+$/, '');
      return key ? { source, host, kind: 'project', value: key } : { source, host, kind: 'host', value: '' };
    }
    // Asana: /0/<project>/<task>, /1/<workspace>/project/<project>/..., /1/<workspace>/home
    const projectAt = parts.indexOf('project');
    if (parts[0] === '1' && projectAt > 0 && parts[projectAt + 1])
      return { source, host, kind: 'project', value: parts[projectAt + 1] as string };
    if (parts[0] === '0' && parts[1] && GID.test(parts[1])) return { source, host, kind: 'project', value: parts[1] };
    if (parts[0] === '1' && parts[1]) return { source, host, kind: 'workspace', value: parts[1] };
    return { source, host, kind: 'host', value: '' };
  })();
  const problem = targetProblem(target);
  return problem ? { ok: false, reason: problem } : { ok: true, target };
}

/** How a person reads an entry: "repository acme/api on github.com". */
export function describeTarget(target: ScopeTarget): string {
  return target.kind === 'host' ? `everything on ${target.host}` : `${target.kind} ${target.value} on ${target.host}`;
}
