import { defineContentScript } from 'wxt/utils/define-content-script';
import '../components/sidebar.css';
import { runSidebar } from '../components/run-sidebar';
import { asanaAdapter } from '../lib/hosts';

export default defineContentScript({
  matches: ['https://app.asana.com/*'],
  cssInjectionMode: 'ui',
  main: (ctx) => runSidebar(ctx, asanaAdapter),
});
