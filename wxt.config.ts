import { defineConfig } from 'wxt';

export default defineConfig({
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  manifest: {
    name: 'Throughline',
    description: 'Shows which goal a Jira, Asana or GitHub ticket serves, and links it in place.',
    permissions: ['storage'],
  },
});
