import { defineConfig } from 'wxt';
import { BUILT_IN_HOSTS } from './lib/extension/host-permissions';

/**
 * The goals API as `npm start` runs it on this machine: granted up front only in the build that
 * `npm start` and the browser tests make (WXT_SELFHOST=1), never in the one people install.
 */
const LOCAL_API = ['http://127.0.0.1/*', 'http://localhost/*'];

/**
 * Content scripts run in every host page, so they carry React's API on Preact's renderer
 * (preact/compat): React DOM alone is 69 KB gzipped, which left no content script under the
 * 100 KB aim (122 KB with it, 62 KB with Preact). The code stays React code, type-checked against
 * React; the extension's own pages keep React itself.
 */
const REACT_ON_PREACT = [
  { find: /^react$/, replacement: 'preact/compat' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-runtime' },
];

export default defineConfig({
  hooks: {
    // The store packages are the build people install, never the self-hosting or test build.
    'zip:start': () => {
      if (process.env.WXT_SELFHOST || process.env.WXT_PREGRANTED_ORIGINS) {
        throw new Error('npm run zip makes store packages: unset WXT_SELFHOST and WXT_PREGRANTED_ORIGINS first');
      }
    },
    // Firefox reads enterprise policies without a schema: the managed storage schema is Chromium's.
    'build:publicAssets': (wxt, files) => {
      if (wxt.config.browser !== 'firefox') return;
      const schema = files.findIndex((file) => file.relativeDest === 'managed_schema.json');
      if (schema >= 0) files.splice(schema, 1);
    },
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.every((entrypoint) => entrypoint.type === 'content-script')) return;
      const wxtAliases = config.resolve?.alias ?? {};
      config.resolve = {
        ...config.resolve,
        alias: [
          ...REACT_ON_PREACT,
          ...(Array.isArray(wxtAliases)
            ? wxtAliases
            : Object.entries(wxtAliases).map(([find, replacement]) => ({ find, replacement }))),
        ],
      };
    },
  },
  // MV3 for Firefox too: optional host permissions and runtime-registered content scripts work
  // the same way as in Chromium.
  manifestVersion: 3,
  // `npm run zip`: the store packages (.output/throughline-<version>-chrome.zip and -firefox.zip,
  // versioned from package.json) and the sources archive AMO asks for (-sources.zip): what builds
  // the extension, without the API, the tests and their testkit, or anything a run left behind.
  zip: {
    excludeSources: [
      'server/**',
      'lib/server/**',
      'tests/**',
      'testkit/**',
      'bench/**',
      'test-results/**',
      'playwright-report/**',
      'coverage/**',
      'web-ext-artifacts/**',
      '**/*.log',
    ],
  },
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  manifest: ({ browser }) => ({
    name: 'Throughline',
    description: 'Shows which goal a Jira, Asana or GitHub ticket serves, and links it in place.',
    permissions: ['storage', ...(process.env.WXT_PREGRANTED_ORIGINS ? ['scripting'] : [])],
    // Registering the content script for a self-hosted domain needs scripting: asked for with it.
    optional_permissions: ['scripting'],
    host_permissions: [
      ...BUILT_IN_HOSTS,
      ...(process.env.WXT_SELFHOST === '1' ? LOCAL_API : []),
      // Browser tests only: the browser's permission prompt cannot be answered by Playwright, so
      // the test build holds the self-hosted domain's grants (the origin, and scripting above)
      // that a person gives by clicking Allow.
      ...(process.env.WXT_PREGRANTED_ORIGINS?.split(',').filter(Boolean) ?? []),
    ],
    // The goals API's origin, and self-hosted Jira or GitHub Enterprise domains, are asked for at
    // runtime, one origin at a time, from the options page.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    // What an organisation may set by browser policy (storage.managed; lib/extension/managed.ts). Chromium
    // checks policies against this schema; Firefox reads its enterprise policies without one.
    ...(browser !== 'firefox' && { storage: { managed_schema: 'managed_schema.json' } }),
    commands: {
      'toggle-sidebar': {
        suggested_key: { default: 'Alt+Shift+G' },
        description: 'Show or hide the Throughline sidebar',
      },
    },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'throughline@throughline.dev',
          // Ticket titles and states are sent to the team's own goals API.
          data_collection_permissions: { required: ['websiteContent'] },
        },
      },
    }),
  }),
});
