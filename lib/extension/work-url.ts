/**
 * What a pasted URL names for linking: a ticket (an issue, a pull request, an epic, a task) or a
 * container (a milestone, a label, a Project, an Asana project), read by the hosts' own adapters.
 */
import { asanaAdapter, asanaContainerFromUrl } from '../hosts/pages/asana';
import { githubAdapter, githubContainerFromUrl } from '../hosts/pages/github';
import { jiraAdapter, jiraContainerFromUrl } from '../hosts/pages/jira';
import type { HostAdapter } from '../hosts/pages/types';
import { formatRef, type Source, type TicketRef } from '../shared/ref';

const READERS: Record<Source, { adapter: HostAdapter; containerFromUrl: (url: URL) => TicketRef | null }> = {
  github: { adapter: githubAdapter, containerFromUrl: githubContainerFromUrl },
  jira: { adapter: jiraAdapter, containerFromUrl: jiraContainerFromUrl },
  asana: { adapter: asanaAdapter, containerFromUrl: asanaContainerFromUrl },
};

/** The hosts a URL may be of: the known sites by name; a self-hosted one (Enterprise, Server/DC) by its paths. */
function sourcesOf(host: string): Source[] {
  if (host === 'github.com') return ['github'];
  if (host.endsWith('.atlassian.net')) return ['jira'];
  if (host === 'app.asana.com') return ['asana'];
  return ['github', 'jira'];
}

export function workRefFromUrl(text: string): { ok: true; ref: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, reason: `"${text.trim().slice(0, 100)}" is not a URL` };
  }
  const found = sourcesOf(url.host.toLowerCase()).flatMap((source) => {
    const { adapter, containerFromUrl } = READERS[source];
    const ref = adapter.refFromUrl(url) ?? containerFromUrl(url);
    return ref ? [formatRef(ref)] : [];
  });
  if (found.length === 1) return { ok: true, ref: found[0] as string };
  return {
    ok: false,
    reason:
      'not a ticket, epic, milestone, label, Project or Asana project page: paste the address of the one to link (a Jira label as an issue search for its project and label)',
  };
}
