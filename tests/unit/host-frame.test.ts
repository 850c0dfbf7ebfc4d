import { describe, expect, test } from 'vitest';
import { hostTheme, topBarBottom } from '../../lib/hosts/pages/frame';

describe('the host page frame', () => {
  const page = (html: string, attributes: Record<string, string> = {}) => {
    const doc = document.implementation.createHTMLDocument('host');
    doc.body.innerHTML = html;
    for (const [name, value] of Object.entries(attributes)) doc.documentElement.setAttribute(name, value);
    return doc;
  };

  test('the theme comes from the host when it says, else from the browser', () => {
    expect(hostTheme(page('', { 'data-color-mode': 'dark' }), false)).toBe('dark');
    expect(hostTheme(page('', { 'data-color-mode': 'light' }), true)).toBe('light');
    expect(hostTheme(page('', { 'data-theme': 'dark:dark light:light' }), false)).toBe('dark');
    expect(hostTheme(page('', { 'data-color-mode': 'auto' }), true)).toBe('dark');
    expect(hostTheme(page(''), false)).toBe('light');
  });

  test('the top bar is a wide element at the top; narrow or low elements are not', () => {
    const doc = page('<header id="bar"></header><div role="banner" id="narrow"></div>');
    const rect = (top: number, height: number, width: number) => ({
      top,
      bottom: top + height,
      width,
      height,
      left: 0,
      right: width,
      x: 0,
      y: top,
      toJSON: () => ({}),
    });
    (doc.getElementById('bar') as HTMLElement).getBoundingClientRect = () => rect(0, 64, 1200);
    (doc.getElementById('narrow') as HTMLElement).getBoundingClientRect = () => rect(0, 120, 200);
    expect(topBarBottom(doc, 1280)).toBe(64);
    (doc.getElementById('bar') as HTMLElement).getBoundingClientRect = () => rect(300, 64, 1200);
    expect(topBarBottom(doc, 1280)).toBe(0);
  });
});
