import { defineContentScript } from 'wxt/utils/define-content-script';
import { runSidebar } from '../content/run-sidebar';
import { githubAdapter } from '../lib/hosts/pages';

export default defineContentScript({
  matches: ['https://github.com/*'],
  // From the start: the URL names the ticket, so its goal is asked for while the page loads.
  runAt: 'document_start',
  // GitHub navigates in-app with Turbo and React; both announce a finished render.
  main: (ctx) => runSidebar(ctx, githubAdapter, ['turbo:render', 'soft-nav:react-done']),
});
