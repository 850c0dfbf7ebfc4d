/**
 * What every host's content script does: find the ticket the URL shows, mount the sidebar once
 * for that ticket in a shadow root, follow in-app navigation, and record what the page shows of
 * the ticket. Each host's entry point passes its adapter.
 */
import { notifyManager, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { storage } from 'wxt/utils/storage';
import { type Send, SendProvider, ticketViewQuery } from '../components/shared/background';
import { GoalRow } from '../components/sidebar/GoalRow';
import { SidebarFrame } from '../components/sidebar/SidebarFrame';
// Inlined, not fetched as WXT's `cssInjectionMode: 'ui'` does: the sidebar can show at once,
// and no stylesheet has to be web-accessible (pages could probe for it).
import sidebarCss from '../components/sidebar/sidebar.css?inline';
import type { TicketView } from '../lib/extension/messages';
import { containersMoved, pageRecord, recordAddition } from '../lib/extension/page-record';
import { fail, type Reply, TOGGLE_SIDEBAR } from '../lib/extension/reply';
import type { HostAdapter } from '../lib/hosts/pages';
import { hostTheme, topBarBottom } from '../lib/hosts/pages/frame';
import type { SelectorOverrides } from '../lib/hosts/pages/types';
import type { WorkItemRecord } from '../lib/shared/contract';
import { formatRef, type TicketRef } from '../lib/shared/ref';
import { type GoalRowMount, mountGoalRow } from './goal-row';
import { onPageChanges } from './page-changes';

// Closed until a person opens it: the Goal row in the host's panel says the verdict meanwhile.
const collapsedItem = storage.defineItem<boolean>('sync:sidebar-collapsed', { fallback: true });
const RENDER_WAIT_MS = 10_000;
/** How long a page still loading is watched for fields it had not shown, and how often it is read again. */
const FOLLOW_MS = 15_000;
const FOLLOW_CHECK_MS = 500;
/** A page that shows no ticket after this long asks whether newer host selectors were published. */
const SLOW_RENDER_MS = 1_500;

/**
 * The host adapter with the selectors the workspace published (host fixes as data), asked of the
 * background for each ticket view; `fresh` when the page showed no ticket with the last ones.
 */
interface Reading {
  current(): HostAdapter;
  refresh(fresh: boolean): Promise<HostAdapter>;
}

/** Asks the background; after an extension update this script's context is gone: say so. */
const sendFromPage: Send = async (request) => {
  try {
    return (await browser.runtime.sendMessage(request)) as Reply<unknown>;
  } catch (error) {
    if (!browser.runtime?.id || /context invalidated/i.test(String(error))) {
      return fail('extension_updated', 'Throughline was updated: reload this page.');
    }
    return fail('unreachable', `The extension did not answer: ${(error as Error).message}`);
  }
};

/**
 * Resolves once the page shows this ticket, or after a bounded wait (the DOM is optional).
 * `settled` must hold too: after in-app navigation the old ticket may still be on screen.
 */
function rendered(
  ctx: ContentScriptContext,
  reading: Reading,
  ref: TicketRef,
  settled: () => boolean,
): Promise<boolean> {
  const shows = () => settled() && reading.current().isRendered(document, ref);
  if (shows()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const stop = onPageChanges(
      () => {
        if (shows()) finish(true);
      },
      { childList: true, subtree: true, characterData: true },
    );
    const timer = setTimeout(() => finish(false), RENDER_WAIT_MS);
    // Still nothing: perhaps the host moved an element and a fix was published since.
    const slow = setTimeout(() => {
      void reading.refresh(true).then(() => {
        if (shows()) finish(true);
      });
    }, SLOW_RENDER_MS);
    function finish(found: boolean) {
      stop();
      clearTimeout(timer);
      clearTimeout(slow);
      resolve(found);
    }
    ctx.onInvalidated(() => finish(false));
  });
}

/**
 * Watches a page that is still loading for the fields it had not shown when the ticket was first
 * recorded (a long GitHub page sends its sidebar after the title), and records each addition:
 * checked at most every FOLLOW_CHECK_MS, for FOLLOW_MS at most, while the page still shows this
 * ticket. What the API has not accepted is sent again with the next addition.
 */
function followLoading(
  ctx: ContentScriptContext,
  read: () => WorkItemRecord,
  stillThisTicket: () => boolean,
  accepted: WorkItemRecord,
  send: (record: WorkItemRecord) => Promise<boolean>,
) {
  let sent = accepted;
  let sending = false;
  /** A change came while a record was on its way: the page is read again once it is answered. */
  let changedWhileSending = false;
  let scheduled: ReturnType<typeof setTimeout> | null = null;
  const check = async () => {
    scheduled = null;
    if (!stillThisTicket()) return stop();
    if (sending) {
      changedWhileSending = true;
      return;
    }
    const addition = recordAddition(sent, read());
    if (!addition) return;
    sending = true;
    if (await send(addition)) {
      sent = { ...sent, ...addition, containers: { ...sent.containers, ...addition.containers } };
    }
    sending = false;
    if (changedWhileSending) {
      changedWhileSending = false;
      void check();
    }
  };
  const observer = new MutationObserver(() => {
    scheduled ??= setTimeout(() => void check(), FOLLOW_CHECK_MS);
  });
  const end = setTimeout(() => stop(), FOLLOW_MS);
  function stop() {
    observer.disconnect();
    clearTimeout(end);
    if (scheduled) clearTimeout(scheduled);
  }
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  ctx.onInvalidated(stop);
  // The page may have shown more while the first record was on its way, before anything watched it.
  void check();
}

/**
 * Records what the page shows of the ticket at `url`. After in-app navigation, only once the URL
 * is that ticket's and the title differs from the previous ticket's: some hosts (Asana) give no
 * key in the DOM, and the previous ticket's details must never be recorded under this one. A
 * record that moves the ticket between containers refreshes the sidebar: its goals may change.
 */
async function recordTicket(
  ctx: ContentScriptContext,
  reading: Reading,
  ref: TicketRef,
  url: URL,
  previousTitle: string | null,
  isCurrent: () => boolean,
  /**
   * The ticket's view as the sidebar has it (null when it could not be read); `refresh` reads it
   * again; `inScope` resolves once it says the ticket is in the workspace's scope.
   */
  view: { get: () => Promise<TicketView | null>; refresh: () => void; inScope: () => Promise<void> },
) {
  // Outside the workspace's scope, nothing is recorded, until an admin tracks it from the sidebar.
  // Except an Asana task: its record says which projects it is in (its reference does not), and the
  // API takes it if one of them is tracked, or refuses it.
  if ((await view.get())?.context.inScope === false && ref.source !== 'asana') {
    await view.inScope();
    if (!isCurrent()) return;
  }
  await reading.refresh(false);
  const settled = () =>
    location.href === url.href &&
    (previousTitle === null || reading.current().readDetails(document, ref).title !== previousTitle);
  if (!(await rendered(ctx, reading, ref, settled)) || !isCurrent()) return;
  const refString = formatRef(ref);
  const read = () => pageRecord(reading.current().readDetails(document, ref), url.href);
  /** Whether the API took the record. */
  const send = async (record: WorkItemRecord) => {
    const reply = await sendFromPage({ type: 'item:record', ref: refString, record });
    const known = (await view.get())?.context.containers;
    if (reply.ok && known && containersMoved(record, known)) view.refresh();
    return reply.ok;
  };
  const first = read();
  const accepted = await send(first);
  // The page still shows this ticket: same address, rendered, same title (Asana's pane names no
  // task, and a click may swap another task into it while the URL catches up).
  const stillThisTicket = () =>
    isCurrent() &&
    location.href === url.href &&
    reading.current().isRendered(document, ref) &&
    (first.title === undefined || reading.current().readDetails(document, ref).title === first.title);
  followLoading(ctx, read, stillThisTicket, accepted ? first : { url: url.href }, send);
  const signedInUser = reading.current().readDetails(document, ref).signedInUser;
  if (signedInUser) {
    await sendFromPage({ type: 'identity:seen', source: ref.source, name: signedInUser.slice(0, 200) });
  }
}

/** Resolves once the page has a <body> to hold the sidebar: early in parsing, before the title. */
function bodyReady(): Promise<void> {
  if (document.body) return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!document.body) return;
      observer.disconnect();
      resolve();
    });
    observer.observe(document.documentElement, { childList: true });
  });
}

export async function runSidebar(ctx: ContentScriptContext, adapter: HostAdapter, navigationEvents: string[] = []) {
  // The goal shows in the task its answer arrives in: Query's default (a setTimeout) waits, while
  // the host page loads, behind the parser's next pause.
  notifyManager.setScheduler(queueMicrotask);
  // One cache per tab: going back to a ticket shows its goal at once, then refreshes it.
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, staleTime: 30_000 } } });
  const refOf = (url: URL) => {
    const ref = adapter.refFromUrl(url);
    return ref ? { ref, refString: formatRef(ref) } : null;
  };
  let withPublished = adapter;
  const reading: Reading = {
    current: () => withPublished,
    refresh: async (fresh) => {
      const reply = await sendFromPage({ type: 'selectors:get', source: adapter.source, ...(fresh && { fresh }) });
      withPublished = reply.ok && reply.data ? adapter.withSelectors(reply.data as SelectorOverrides) : adapter;
      return withPublished;
    },
  };
  // Ask for the first ticket's goal at once, while the sidebar's stylesheet and React load.
  const first = refOf(new URL(location.href));
  if (first) void queryClient.prefetchQuery(ticketViewQuery(sendFromPage, first.refString));

  let collapsed = await collapsedItem.getValue();
  await bodyReady();
  /** The ticket shown; null on pages that are not a ticket. */
  let shown: string | null = null;
  // Closed in builds people install, so the host page cannot reach in and change what it says;
  // open in the self-hosting build (npm start and the browser tests, which read it).
  const mode = import.meta.env.WXT_SELFHOST === '1' ? 'open' : 'closed';
  // One shadow root for the panel, made at the first ticket; each ticket gets its own panel in it.
  let ui: Awaited<ReturnType<typeof createShadowRootUi<Root>>> | null = null;
  const uiReady = () =>
    createShadowRootUi<Root>(ctx, {
      name: 'throughline-sidebar',
      position: 'inline',
      anchor: 'body',
      append: 'last',
      mode,
      isolateEvents: true,
      css: sidebarCss,
      onMount: (container) => createRoot(container),
      onRemove: (root) => root?.unmount(),
    });
  let making: ReturnType<typeof uiReady> | null = null;
  /** The Goal row in the host's panel, made for each ticket shown. */
  let goalRow: GoalRowMount | null = null;

  const provided = (content: ReactNode) => (
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <SendProvider value={sendFromPage}>{content}</SendProvider>
      </QueryClientProvider>
    </StrictMode>
  );

  const render = () => {
    if (!ui?.mounted || !shown) return;
    const top = topBarBottom(document, window.innerWidth);
    const theme = hostTheme(document, window.matchMedia('(prefers-color-scheme: dark)').matches);
    ui.shadowHost.style.setProperty('--tl-top', `${top}px`);
    ui.shadowHost.dataset.theme = theme;
    const root = ui.mounted;
    const ticketRef = shown;
    goalRow?.render(provided(<GoalRow key={ticketRef} ticketRef={ticketRef} open={!collapsed} onOpen={open} />), theme);
    // At once, in this task: a ticket seen before shows its goal in the frame the host shows the
    // ticket in, not one frame (or more, on a busy page) later as a scheduled render would.
    flushSync(() =>
      root.render(
        provided(
          <SidebarFrame
            key={ticketRef}
            ticketRef={ticketRef}
            collapsed={collapsed}
            rowShown={goalRow?.shown() ?? false}
            focus={focusPanel}
            onToggle={toggle}
          />,
        ),
      ),
    );
  };

  /** Whether the panel was opened by a person just now, so that focus moves into it. */
  let focusPanel = false;
  async function toggle() {
    collapsed = !collapsed;
    focusPanel = !collapsed;
    await collapsedItem.setValue(collapsed);
    render();
    focusPanel = false;
  }
  function open() {
    if (collapsed) void toggle();
  }

  const follow = async (url: URL) => {
    const next = refOf(url);
    if (next?.refString === shown) return;
    // What the page shows now belongs to the ticket being left, if any.
    const previous = shown ? refOf(new URL(location.href)) : null;
    const previousTitle = previous ? reading.current().readDetails(document, previous.ref).title : null;
    shown = next?.refString ?? null;
    goalRow?.remove();
    goalRow = null;
    if (!next) {
      ui?.remove();
      return;
    }
    if (!ui) {
      making ??= uiReady();
      const made = await making;
      // Navigation may have moved on while the UI was being made: `shown` says where to.
      ui ??= made;
      if (!shown) return;
    }
    if (!ui.mounted) ui.mount();
    render();
    const { ref, refString } = next;
    const row = await mountGoalRow(ctx, {
      css: sidebarCss,
      mode,
      anchor: () => reading.current().goalAnchor(document),
      onChange: () => render(),
    });
    if (shown !== refString) row.remove();
    else {
      goalRow = row;
      render();
    }
    // The view the sidebar asked for already (one request): whether the ticket is in scope, and where it sits.
    const query = ticketViewQuery(sendFromPage, refString);
    const view = {
      get: () => queryClient.fetchQuery(query).catch(() => null),
      refresh: () => void queryClient.invalidateQueries({ queryKey: query.queryKey }),
      inScope: () =>
        new Promise<void>((resolve) => {
          const inScope = () => queryClient.getQueryData(query.queryKey)?.context.inScope === true;
          if (inScope()) return resolve();
          const unsubscribe = queryClient.getQueryCache().subscribe(() => {
            if (!inScope() && shown === refString) return;
            unsubscribe();
            resolve();
          });
        }),
    };
    void recordTicket(ctx, reading, ref, url, previousTitle, () => shown === refString, view);
  };

  // WXT announces in-app navigation before `location` changes: the event carries the new URL.
  ctx.addEventListener(window, 'wxt:locationchange', (event) => void follow(event.newUrl));
  for (const event of navigationEvents)
    ctx.addEventListener(document, event, () => void follow(new URL(location.href)));
  ctx.addEventListener(window, 'resize', () => render());
  const onCommand = (message: unknown) => {
    if ((message as { type?: unknown } | null)?.type === TOGGLE_SIDEBAR) void toggle();
  };
  browser.runtime.onMessage.addListener(onCommand);
  ctx.onInvalidated(() => {
    browser.runtime.onMessage.removeListener(onCommand);
    ui?.remove();
    goalRow?.remove();
  });
  await follow(new URL(location.href));
}
