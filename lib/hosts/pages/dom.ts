/**
 * Shared, pure DOM reading for the host adapters. Text only: everything goes through `textContent` or an
 * attribute value, never markup, so a hostile title comes back as the characters it shows.
 */
import {
  type ContainerRead,
  type ContainerReads,
  type ContainerSlot,
  formatRef,
  parseRef,
  type TicketRef,
} from '../../shared/ref';

export type Root = Document | Element;

/** Text with its whitespace collapsed the way the browser renders it; null when none is left. */
export function collapsed(text: string | null | undefined): string | null {
  const trimmed = text?.replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed : null;
}

/** The text a node shows, whitespace collapsed; null when there is none. */
export function textOf(node: Node | null | undefined): string | null {
  return collapsed(node?.textContent);
}

/**
 * The elements matching a selector; none when the browser refuses the selector. Published
 * selectors (lib/hosts/pages/overrides.ts) are checked before they arrive, but a browser may still know
 * less CSS than the check: such a selector matches nothing instead of breaking the adapter.
 */
export function all(root: Root, selector: string): Iterable<Element> {
  try {
    return root.querySelectorAll(selector);
  } catch {
    return [];
  }
}

/** The closest ancestor-or-self matching one of the selectors, in order; null when none does. */
export function closest(element: Element, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    try {
      const found = element.closest(selector);
      if (found) return found;
    } catch {
      // A selector the browser refuses matches nothing.
    }
  }
  return null;
}

/** The first element matching one of the selectors, tried in order (the newest generation first). */
export function first(root: Root, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    for (const found of all(root, selector)) return found;
  }
  return null;
}

/** Text without the glyphs hosts put in their controls (▾, ✓): "In Progress ▾" reads "In Progress". */
export function withoutGlyphs(text: string | null): string | null {
  const cleaned = text
    ?.replace(/[\p{So}\p{Co}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned ? cleaned : null;
}

/**
 * A person's name from an element that may also hold the field's label and the avatar's initials:
 * "Assignee SR Sam Rivera" and "AssigneeSR Sam Rivera" read "Sam Rivera".
 */
export function personName(text: string | null, label: string): string | null {
  let name = text?.trim() ?? '';
  if (name.toLowerCase().startsWith(label.toLowerCase())) name = name.slice(label.length).trim();
  const [first, ...rest] = name.split(' ');
  const initials = rest.map((word) => word[0]?.toUpperCase() ?? '').join('');
  if (first && rest.length > 0 && /^\p{Lu}{1,3}$/u.test(first) && initials.startsWith(first)) name = rest.join(' ');
  return name ? name : null;
}

/** The text of the first element, in selector order, that has any. */
export function firstText(root: Root, selectors: readonly string[]): string | null {
  for (const selector of selectors) {
    for (const element of all(root, selector)) {
      const text = textOf(element);
      if (text) return text;
    }
  }
  return null;
}

/** The trimmed `content` of the first non-empty `<meta>` among the selectors. */
export function metaContent(doc: Document, selectors: readonly string[]): string | null {
  for (const selector of selectors) {
    const content = first(doc, [selector])?.getAttribute('content')?.trim();
    if (content) return content;
  }
  return null;
}

/** Distinct non-empty strings, in order of first appearance. */
export function distinct(values: Iterable<string | null | undefined>): string[] {
  const seen = new Set<string>();
  for (const value of values) if (value) seen.add(value);
  return [...seen];
}

/** Whether `text` contains `token` as a whole word (not as part of a longer key or number). */
export function containsToken(text: string | null | undefined, token: string): boolean {
  if (!text) return false;
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|[^A-Za-z0-9_-])${escaped}(?![0-9A-Za-z_])`).test(text);
}

/** Status words that mean the work is done, on any of the three hosts. */
const DONE_STATES =
  /^(?:closed|merged|resolved|done|complete|completed|fixed|released|shipped|cancell?ed|won'?t (?:do|fix)|declined|rejected)$/i;

/** Whether a status name means done; null when there is no status. */
export function stateMeansDone(state: string | null): boolean | null {
  if (state === null) return null;
  return DONE_STATES.test(state.trim());
}

/** The reference when it satisfies the contract (host and key patterns), else null: adapters never emit a ref parseRef refuses. */
export function validRef(ref: TicketRef): TicketRef | null {
  const parsed = parseRef(formatRef(ref));
  return parsed.ok ? parsed.ref : null;
}

/** A positive decimal ticket number without leading zeros, or null (`0`, `007` and 11+ digits are not ticket numbers). */
export function ticketNumber(value: string | undefined): string | null {
  return value && /^[1-9]\d{0,9}$/.test(value) ? value : null;
}

/** The elements of the first selector, in order, that matches any: one generation's markup, not several at once. */
export function firstAll(root: Root, selectors: readonly string[]): Element[] {
  for (const selector of selectors) {
    const found = [...all(root, selector)];
    if (found.length) return found;
  }
  return [];
}

/** Where a link points, when that is on the ticket's own host; null for other hosts and for no link. */
export function linkUrl(link: Element, host: string): URL | null {
  const href = link.getAttribute('href');
  if (!href) return null;
  try {
    const url = new URL(href, `https://${host}`);
    return url.host === host ? url : null;
  } catch {
    return null;
  }
}

/**
 * The name a link shows for what it points to: its `data-name` or `title` attribute (GitHub's
 * classic labels and milestones carry it whole), else the first of `parts` inside it that holds the
 * name alone, both as written (a label's emoji is part of its name); else its own text, without the
 * glyphs of its controls.
 */
export function nameOf(link: Element, parts: readonly string[]): string | null {
  return (
    collapsed(link.getAttribute('data-name') ?? link.getAttribute('title')) ??
    firstText(link, parts) ??
    withoutGlyphs(textOf(link))
  );
}

/** A container read when its reference is one the contract accepts (parseRef), else null. */
export function containerRead(ref: TicketRef, title: string | null): ContainerRead | null {
  const valid = validRef(ref);
  return valid ? { ref: formatRef(valid), title } : null;
}

/** The reads in page order, each reference once (as first shown). */
export function distinctReads(reads: Iterable<ContainerRead | null>): ContainerRead[] {
  const byRef = new Map<string, ContainerRead>();
  for (const read of reads) if (read && !byRef.has(read.ref)) byRef.set(read.ref, read);
  return [...byRef.values()];
}

/** The slots the page showed; a null slot (not shown) is left out, so it ends nothing. */
export function shownSlots(slots: Partial<Record<ContainerSlot, ContainerRead[] | null>>): ContainerReads {
  const shown: ContainerReads = {};
  for (const [slot, reads] of Object.entries(slots) as [ContainerSlot, ContainerRead[] | null][]) {
    if (reads) shown[slot] = reads;
  }
  return shown;
}
