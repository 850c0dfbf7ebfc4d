/** The host adapters, one per work-item source: URL first (identity), DOM second (details). */
import type { Source } from '../../shared/ref';
import { asanaAdapter } from './asana';
import { githubAdapter } from './github';
import { jiraAdapter } from './jira';
import type { HostAdapter } from './types';

export type { HostAdapter, TicketDetails } from './types';
export { asanaAdapter, githubAdapter, jiraAdapter };

export const adapters: Record<Source, HostAdapter> = {
  github: githubAdapter,
  jira: jiraAdapter,
  asana: asanaAdapter,
};
