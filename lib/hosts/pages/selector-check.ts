/**
 * Whether a string is a CSS selector a host adapter can use, checked by parsing it (Selectors
 * Level 4, the part `querySelectorAll` takes): selector lists, combinators, type, `#id`, `.class`,
 * attribute selectors, and the pseudo-classes that select elements. Selectors published by a
 * workspace admin (host fixes as data) are checked with this on the server, in the CLI and in the
 * extension: they are only ever given to `querySelectorAll`, never run, and what is not a selector
 * is refused with the place it stops being one.
 *
 * Pure: no DOM, so the API and the CLI check exactly what the extension will accept.
 */

/** Pseudo-classes without arguments that `querySelectorAll` knows. */
const PSEUDO_CLASSES = new Set([
  'active',
  'any-link',
  'autofill',
  'checked',
  'default',
  'defined',
  'disabled',
  'empty',
  'enabled',
  'first-child',
  'first-of-type',
  'focus',
  'focus-visible',
  'focus-within',
  'hover',
  'indeterminate',
  'in-range',
  'invalid',
  'last-child',
  'last-of-type',
  'link',
  'modal',
  'only-child',
  'only-of-type',
  'open',
  'optional',
  'out-of-range',
  'placeholder-shown',
  'popover-open',
  'read-only',
  'read-write',
  'required',
  'root',
  'scope',
  'target',
  'valid',
  'visited',
]);
/** Pseudo-classes taking a selector list (`:has` a relative one). */
const SELECTOR_FUNCTIONS = new Set(['not', 'is', 'where', 'has']);
/** Pseudo-classes taking `An+B`, optionally `of <selector list>` for the `-child` ones. */
const NTH_FUNCTIONS = new Set(['nth-child', 'nth-last-child', 'nth-of-type', 'nth-last-of-type']);
/** Pseudo-classes taking one identifier. */
const IDENT_FUNCTIONS = new Set(['dir', 'lang']);

const MAX_NESTING = 8;
/**
 * Published selectors run on the host page up to once a frame while it renders: a `:has()` inside
 * another (also through `:is()`, `:not()`, `:where()` or `of`) makes each match test scan subtrees of
 * subtrees, enough to make the page jank. One level of `:has()` is allowed.
 */
const MAX_HAS_NESTING = 1;

class SelectorError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** A recursive-descent reader over one selector string. */
class Reader {
  i = 0;
  constructor(readonly s: string) {}

  peek(offset = 0): string {
    return this.s[this.i + offset] ?? '';
  }
  done(): boolean {
    return this.i >= this.s.length;
  }
  fail(message: string): never {
    throw new SelectorError(message, this.i);
  }
  unexpected(): never {
    if (this.done()) this.fail('it ends too early');
    this.fail(`unexpected “${this.peek()}”`);
  }
  expect(char: string): void {
    if (this.peek() !== char) {
      if (this.done()) this.fail(`it ends too early: “${char}” expected`);
      this.fail(`“${char}” expected, found “${this.peek()}”`);
    }
    this.i++;
  }
  /** Skips whitespace; true when there was some. */
  space(): boolean {
    const start = this.i;
    while (/[ \t\n\r\f]/.test(this.peek())) this.i++;
    return this.i > start;
  }

  private escape(): void {
    // Backslash, then up to six hex digits and an optional space, or any other character but a newline.
    this.i++;
    if (this.done() || /[\n\r\f]/.test(this.peek())) this.fail('a backslash must escape a character');
    if (/[0-9a-fA-F]/.test(this.peek())) {
      let n = 0;
      while (n < 6 && /[0-9a-fA-F]/.test(this.peek())) {
        this.i++;
        n++;
      }
      if (/[ \t\n\r\f]/.test(this.peek())) this.i++;
    } else {
      this.i++;
    }
  }

  private nameChar(start: boolean): boolean {
    const c = this.peek();
    if (c === '\\') return true;
    if (/[A-Za-z_]/.test(c) || c.charCodeAt(0) >= 0x80) return true;
    return !start && /[0-9-]/.test(c);
  }

  /** A CSS identifier (`issue-title`, `-webkit-x`, `--custom`, `\31 23`); '' when there is none here. */
  ident(): string {
    const start = this.i;
    if (this.peek() === '-') {
      if (this.peek(1) === '-') this.i += 2;
      else if (/[A-Za-z_\\]/.test(this.peek(1)) || this.s.charCodeAt(this.i + 1) >= 0x80) this.i++;
      else return '';
    } else if (!this.nameChar(true)) {
      return '';
    }
    while (!this.done() && this.nameChar(false)) {
      if (this.peek() === '\\') this.escape();
      else this.i++;
    }
    return this.s.slice(start, this.i);
  }

  requireIdent(what: string): string {
    const name = this.ident();
    if (!name) {
      if (this.done()) this.fail(`it ends where ${what} was expected`);
      this.fail(`${what} expected, found “${this.peek()}”`);
    }
    return name;
  }

  string(): void {
    const quote = this.peek();
    this.i++;
    while (!this.done() && this.peek() !== quote) {
      if (/[\n\r\f]/.test(this.peek())) this.fail('a quoted value must end on its line');
      if (this.peek() === '\\') {
        this.i++;
        if (this.done()) break;
      }
      this.i++;
    }
    if (this.done()) this.fail(`the quoted value is not closed with ${quote}`);
    this.i++;
  }

  /** `selector, selector, …` up to the end or a `)`. */
  selectorList(depth: number, relative: boolean, has = 0): void {
    if (depth > MAX_NESTING) this.fail('selectors nested too deeply');
    for (;;) {
      this.space();
      this.complex(depth, relative, has);
      this.space();
      if (this.peek() !== ',') return;
      this.i++;
    }
  }

  private complex(depth: number, relative: boolean, has: number): void {
    if (relative && /[>+~]/.test(this.peek())) {
      this.i++;
      this.space();
    }
    this.compound(depth, has);
    for (;;) {
      const spaced = this.space();
      const c = this.peek();
      if (c === '>' || c === '+' || c === '~') {
        this.i++;
        this.space();
        this.compound(depth, has);
      } else if (spaced && c !== '' && c !== ',' && c !== ')') {
        this.compound(depth, has);
      } else {
        return;
      }
    }
  }

  private compound(depth: number, has: number): void {
    const start = this.i;
    if (this.peek() === '*') this.i++;
    else this.ident();
    for (;;) {
      const c = this.peek();
      if (c === '#') {
        this.i++;
        this.requireIdent('an id after “#”');
      } else if (c === '.') {
        this.i++;
        this.requireIdent('a class name after “.”');
      } else if (c === '[') {
        this.attribute();
      } else if (c === ':') {
        this.pseudo(depth, has);
      } else {
        break;
      }
    }
    if (this.i === start) this.unexpected();
  }

  private attribute(): void {
    this.expect('[');
    this.space();
    this.requireIdent('an attribute name');
    this.space();
    if (this.done()) this.fail('it ends too early: “]” expected');
    if (this.peek() !== ']') {
      if (/[~|^$*]/.test(this.peek())) this.i++;
      this.expect('=');
      this.space();
      if (this.peek() === '"' || this.peek() === "'") this.string();
      else this.requireIdent('a value (an identifier or a quoted string)');
      this.space();
      if (/[iIsS]/.test(this.peek()) && /[\s\]]/.test(this.peek(1))) {
        this.i++;
        this.space();
      }
    }
    this.expect(']');
  }

  private pseudo(depth: number, has: number): void {
    this.expect(':');
    if (this.peek() === ':') {
      this.fail('pseudo-elements (“::”) never match an element: select the element itself');
    }
    const at = this.i;
    const name = this.requireIdent('a pseudo-class name after “:”').toLowerCase();
    if (this.peek() !== '(') {
      if (!PSEUDO_CLASSES.has(name)) {
        this.i = at;
        this.fail(`“:${name}” is not a pseudo-class this checks`);
      }
      return;
    }
    if (name === 'has' && has >= MAX_HAS_NESTING) {
      this.i = at;
      this.fail('“:has()” inside “:has()”: one level at most (nested, it makes the host page slow)');
    }
    this.i++;
    this.space();
    if (SELECTOR_FUNCTIONS.has(name)) {
      this.selectorList(depth + 1, name === 'has', name === 'has' ? has + 1 : has);
    } else if (NTH_FUNCTIONS.has(name)) {
      this.anPlusB();
      this.space();
      if (name.endsWith('-child') && this.peek() !== ')') {
        const of = this.ident();
        if (of.toLowerCase() !== 'of') this.fail('“of” or “)” expected after An+B');
        if (!this.space()) this.unexpected();
        this.selectorList(depth + 1, false, has);
      }
    } else if (IDENT_FUNCTIONS.has(name)) {
      this.requireIdent(`an identifier in “:${name}()”`);
      this.space();
    } else {
      this.i = at;
      this.fail(`“:${name}()” is not a pseudo-class this checks`);
    }
    this.expect(')');
  }

  /** `odd`, `even`, `3`, `-n+2`, `2n + 1`, `+n`, `n-1`. */
  private anPlusB(): void {
    const rest = this.s.slice(this.i);
    const match = /^(?:odd|even|[+-]?\d*n(?:\s*[+-]\s*\d+)?|[+-]?\d+)/i.exec(rest);
    if (!match || match[0] === '') this.fail('An+B expected (odd, even, 3, 2n+1)');
    this.i += match[0].length;
  }
}

/** Null when `selector` is a CSS selector this accepts, else what is wrong with it and where. */
export function selectorProblem(selector: string): string | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses.
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(selector)) return 'must not contain control characters';
  const reader = new Reader(selector.trim());
  if (reader.done()) return 'must not be empty';
  try {
    reader.selectorList(0, false);
    if (!reader.done()) reader.unexpected();
    return null;
  } catch (error) {
    if (!(error instanceof SelectorError)) throw error;
    return `not a CSS selector (at character ${error.at + 1}): ${error.message}`;
  }
}
