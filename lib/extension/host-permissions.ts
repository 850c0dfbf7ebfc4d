/** The hosts whose ticket pages the sidebar runs on without asking: the only required host access. */
export const BUILT_IN_HOSTS = ['https://github.com/*', 'https://*.atlassian.net/*', 'https://app.asana.com/*'];
