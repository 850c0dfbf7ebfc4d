import { defineContentScript } from 'wxt/utils/define-content-script';
import '../components/sidebar.css';
import { runSidebar } from '../components/run-sidebar';
import { jiraAdapter } from '../lib/hosts';

export default defineContentScript({
  matches: ['https://*.atlassian.net/*'],
  cssInjectionMode: 'ui',
  main: (ctx) => runSidebar(ctx, jiraAdapter),
});
