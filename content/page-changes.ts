/**
 * Calls `check` after the page changes, at most once a frame however busy the page is: never a
 * scan per mutation. Returns the function that stops watching.
 */
export function onPageChanges(check: () => void, options: MutationObserverInit): () => void {
  let scheduled = false;
  const observer = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      check();
    });
  });
  observer.observe(document.body, options);
  return () => observer.disconnect();
}
