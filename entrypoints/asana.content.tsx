import { defineContentScript } from 'wxt/utils/define-content-script';
import { runSidebar } from '../content/run-sidebar';
import { asanaAdapter } from '../lib/hosts/pages';

export default defineContentScript({
  matches: ['https://app.asana.com/*'],
  // From the start: the URL names the ticket, so its goal is asked for while the page loads.
  runAt: 'document_start',
  main: (ctx) => runSidebar(ctx, asanaAdapter),
});
