/**
 * Keeps the Goal row in the host's own panel of the ticket's fields (or after its title until that
 * panel arrives): hosts render those with React and replace them at will, so the row is put back
 * whenever it is gone, and moved into the panel once there is one.
 * WXT's `autoMount` watches one CSS selector; the row's place is chosen by priority (the panel,
 * else the title) through the adapter, hence this watcher of our own.
 */
import type { ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { GoalAnchor } from '../lib/hosts/pages/types';
import { onPageChanges } from './page-changes';

export interface GoalRowMount {
  /** Renders the row (when it is in the page). */
  render(content: ReactNode, theme: string): void;
  /** Whether the row is in the page now. */
  shown(): boolean;
  remove(): void;
}

export async function mountGoalRow(
  ctx: ContentScriptContext,
  options: {
    css: string;
    mode: 'open' | 'closed';
    /** Where the row goes now; null when the page has no place for it. */
    anchor: () => GoalAnchor | null;
    /** The row came or went: the rest of the UI may change (the floating tab is needed only without it). */
    onChange: () => void;
  },
): Promise<GoalRowMount> {
  let place: GoalAnchor | null = null;
  let last: { content: ReactNode; theme: string } | null = null;
  const ui = await createShadowRootUi<Root>(ctx, {
    name: 'throughline-goal',
    position: 'inline',
    anchor: () => place?.element,
    append: (anchor, root) => (place?.place === 'first' ? anchor.prepend(root) : anchor.after(root)),
    mode: options.mode,
    isolateEvents: true,
    css: options.css,
    onMount: (container) => createRoot(container),
    onRemove: (root) => root?.unmount(),
  });
  const paint = () => {
    if (!ui.mounted || !last) return;
    ui.shadowHost.dataset.theme = last.theme;
    const root = ui.mounted;
    const { content } = last;
    flushSync(() => root.render(content));
  };
  let active = true;
  const check = () => {
    if (!active) return;
    // In place; or beside the title only while the host's panel has not arrived (a long page sends it late).
    if (ui.shadowHost.isConnected && (place?.place !== 'after' || options.anchor()?.place !== 'first')) return;
    const wasMounted = !!ui.mounted;
    place = options.anchor();
    if (place) {
      if (wasMounted) ui.remove();
      ui.mount();
      paint();
      options.onChange();
    } else if (wasMounted) {
      ui.remove();
      options.onChange();
    }
  };
  const stop = onPageChanges(check, { childList: true, subtree: true });
  ctx.onInvalidated(stop);
  check();
  return {
    render(content, theme) {
      last = { content, theme };
      check();
      paint();
    },
    shown: () => ui.shadowHost.isConnected,
    remove() {
      active = false;
      stop();
      if (ui.mounted) ui.remove();
    },
  };
}
