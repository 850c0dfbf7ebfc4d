/** Shared by the host adapter tests: fixtures parsed the way a content script sees a page, nothing run. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { formatRef, parseRef, type TicketRef } from '../../lib/shared/contract';

// Paths, not URL objects: under happy-dom the global URL is the DOM's, which node:fs does not take.
const here = dirname(fileURLToPath(import.meta.url));

/** The real saved github.com page (dotnet/runtime#30402), read in place from the shared fixtures. */
export const REAL_GITHUB_ISSUE = resolve(here, '../../../shared/fixtures/real/github-classic-issue.html');

/**
 * happy-dom would try to load the fixtures' stylesheets and scripts and log an error for each; a parsed page
 * must stay inert and offline, so loading and evaluation are switched off and counted as done.
 */
function quietHappyDom(): void {
  const happyDOM = (globalThis as { happyDOM?: { settings: Record<string, unknown> } }).happyDOM;
  if (!happyDOM) throw new Error('the unit project must run in happy-dom');
  Object.assign(happyDOM.settings, {
    disableJavaScriptEvaluation: true,
    disableJavaScriptFileLoading: true,
    disableCSSFileLoading: true,
    handleDisabledFileLoadingAsSuccess: true,
  });
}

export function parseHtml(html: string): Document {
  quietHappyDom();
  return new DOMParser().parseFromString(html, 'text/html');
}

/** A page: a file name in tests/fixtures, or an absolute path. */
export function loadPage(nameOrPath: string): Document {
  return parseHtml(readFileSync(resolve(here, '../fixtures', nameOrPath), 'utf8'));
}

export const EMPTY_PAGE = '<!DOCTYPE html><html><head><title></title></head><body></body></html>';

/** The ref is what the URL should give, and the contract accepts and reproduces it. */
export function expectValidRef(ref: TicketRef | null, expected: TicketRef): void {
  expect(ref).toEqual(expected);
  expect(parseRef(formatRef(expected))).toEqual({ ok: true, ref: expected });
}

/** The code of an adapter source file, comments removed, to check it stays pure. */
export function adapterCode(file: string): string {
  return readFileSync(resolve(here, '../../lib/hosts/pages', file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

/** What an adapter must never do: render markup, or reach for globals instead of its arguments. */
export const IMPURE =
  /\binnerHTML\b|\bouterHTML\b|insertAdjacentHTML|\bdocument\.|\bwindow\.|\blocation\.|\bbrowser\.|\bchrome\./;
