/**
 * Reading the host page's frame: its colour scheme, and where its fixed top bar ends, so the
 * sidebar follows the host's theme and sits below the host's own controls, never over them.
 */

/** The host's theme: GitHub and Jira say it on <html>; otherwise the browser's preference. */
export function hostTheme(doc: Document, prefersDark: boolean): 'light' | 'dark' {
  const html = doc.documentElement;
  const mode = html.getAttribute('data-color-mode') ?? html.getAttribute('data-theme');
  if (mode === 'dark' || mode?.startsWith('dark')) return 'dark';
  if (mode === 'light' || mode?.startsWith('light')) return 'light';
  return prefersDark ? 'dark' : 'light';
}

const TOP_BARS = [
  'header', // GitHub (header.AppHeader, header.Header), most sites
  '[role="banner"]',
  '[data-testid="page-layout.top-nav"]', // Jira Cloud
  '#header', // Jira Server / Data Center
  '.TopbarPageHeaderStructure', // Asana
];

/** The bottom edge, in pixels from the viewport top, of the host's top bar (0 when there is none). */
export function topBarBottom(doc: Document, viewportWidth: number): number {
  let bottom = 0;
  for (const element of doc.querySelectorAll(TOP_BARS.join(','))) {
    const rect = element.getBoundingClientRect();
    // A top bar spans most of the width and starts at the top; its height is bounded.
    if (rect.top <= 1 && rect.width >= viewportWidth * 0.5 && rect.height > 0 && rect.bottom <= 160) {
      bottom = Math.max(bottom, rect.bottom);
    }
  }
  return Math.round(bottom);
}
