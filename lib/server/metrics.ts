/**
 * Alignment metrics (shared/design/metrics.md): coverage, allocation against priority, fit,
 * starved objectives, drift, unlinked intake, stale links and goals.
 * Pure functions over plain data; times are epoch milliseconds. The server loads rows and calls
 * these; nothing here touches a database or a browser.
 */

export * from './metrics/allocation';
export * from './metrics/coverage';
export * from './metrics/inheritance';
export * from './metrics/lists';
export * from './metrics/model';
