import { defineContentScript } from 'wxt/utils/define-content-script';
import { runSidebar } from '../content/run-sidebar';
import { jiraAdapter } from '../lib/hosts/pages';

export default defineContentScript({
  matches: ['https://*.atlassian.net/*'],
  // From the start: the URL names the ticket, so its goal is asked for while the page loads.
  runAt: 'document_start',
  main: (ctx) => runSidebar(ctx, jiraAdapter),
});
