import { defineContentScript } from 'wxt/utils/define-content-script';
import '../components/sidebar.css';
import { runSidebar } from '../components/run-sidebar';
import { githubAdapter } from '../lib/hosts';

export default defineContentScript({
  matches: ['https://github.com/*'],
  cssInjectionMode: 'ui',
  // GitHub navigates in-app with Turbo and React; both announce a finished render.
  main: (ctx) => runSidebar(ctx, githubAdapter, ['turbo:render', 'soft-nav:react-done']),
});
