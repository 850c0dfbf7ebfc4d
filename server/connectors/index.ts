/** Each host's connector, by host: what a sync, a check and a webhook's re-read go through. */
import type { Source } from '../../lib/shared/ref';
import { asanaConnector } from './asana';
import { githubConnector } from './github';
import { jiraConnector } from './jira';
import type { ConnectorFactory } from './types';

export const CONNECTORS: Record<Source, ConnectorFactory> = {
  github: githubConnector,
  jira: jiraConnector,
  asana: asanaConnector,
};
