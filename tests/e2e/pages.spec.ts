/**
 * The popup, the goals page and the review page, in the browser with the built extension,
 * against the real API seeded with the demo workspace. Each page also passes an axe-core check.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { type BrowserContext, expect, type Page } from '@playwright/test';
import { connectedBrowser, launchWithExtension, sidebarOf } from '../../testkit/browser';
import { apiForThisFile, fixture, test } from './harness';

const apiOf = apiForThisFile();
const SHOTS = 'test-results/screenshots';
// Jira tickets of Sam's (the demo user) that no one has seen yet: the saved Jira page, re-keyed.
const ticketUrl = (key: string) => `https://acme.atlassian.net/browse/${key}`;
const samsTicket = (key: string) => ({
  [ticketUrl(key)]: fixture('jira-cloud-issue.html')
    .replaceAll('PAY-318', key)
    .replaceAll('Priya Natarajan', 'Sam Rivera'),
});

const percent = (share: number) => `${Math.round(share * 100)}%`;

test.beforeAll(() => {
  mkdirSync(SHOTS, { recursive: true });
});

/** No serious or critical accessibility violation in what `include` selects (the whole page by default). */
async function expectAccessible(page: Page, include?: string) {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  const blocking = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(blocking).toEqual([]);
}

async function badgeText(context: BrowserContext): Promise<string> {
  const [worker] = context.serviceWorkers();
  // As source text: tsx would add helpers to a function's code that do not exist in the worker.
  return (await worker?.evaluate('chrome.action.getBadgeText({})')) as string;
}

test('the popup shows my coverage as the API computes it; linking a ticket in the sidebar changes it and the badge', async () => {
  const { context, page, extensionId } = await connectedBrowser(apiOf(), samsTicket('PAY-9001'));
  try {
    const popupUrl = `chrome-extension://${extensionId}/popup.html`;
    const before = await apiOf().get('/v1/me/coverage');
    await page.goto(popupUrl);
    await expect(page.getByTestId('my-coverage')).toHaveText(percent(before.coverage.coverage));
    await expect(page.getByTestId('team-coverage')).toContainText(`Payments: ${percent(before.team.coverage)}`);
    await expect(page.getByTestId('identities')).toContainText('samrivera on GitHub');
    await expect(page.getByRole('list', { name: 'My tickets that serve no goal' }).getByRole('listitem')).toHaveCount(
      before.unlinked.length,
    );
    await expect.poll(() => badgeText(context)).toBe(percent(before.coverage.coverage));
    await page.screenshot({ path: `${SHOTS}/popup.png` });
    await expectAccessible(page);

    // Sam opens a new ticket of his: it is recorded as his, and serves no goal yet.
    const ticket = await context.newPage();
    await ticket.goto(ticketUrl('PAY-9001'));
    const sidebar = sidebarOf(ticket);
    await expect(sidebar.getByText('This ticket serves no goal.')).toBeVisible();
    await expect.poll(async () => (await apiOf().get('/v1/me/coverage')).unlinkedCount).toBe(before.unlinkedCount + 1);
    await expectAccessible(ticket, 'throughline-sidebar');

    await sidebar
      .getByRole('button', { name: /^Link to / })
      .first()
      .click();
    await expect(sidebar.getByText('This ticket serves')).toBeVisible();
    await expect.poll(async () => (await apiOf().get('/v1/me/coverage')).unlinkedCount).toBe(before.unlinkedCount);
    const after = await apiOf().get('/v1/me/coverage');
    expect(after.coverage.coverage).toBeGreaterThan(before.coverage.coverage);
    await expect.poll(() => badgeText(context)).toBe(percent(after.coverage.coverage));

    await page.reload();
    await expect(page.getByTestId('my-coverage')).toHaveText(percent(after.coverage.coverage));
    // The badge can count the unlinked tickets instead.
    await page.getByLabel('The toolbar badge shows').selectOption('unlinked');
    await expect.poll(() => badgeText(context)).toBe(String(after.unlinkedCount));
  } finally {
    await context.close();
  }
});

test('an objective created on the goals page appears in the sidebar’s picker', async () => {
  const { context, page, extensionId } = await connectedBrowser(apiOf(), samsTicket('PAY-9002'));
  try {
    await page.goto(`chrome-extension://${extensionId}/goals.html`);
    await expect(page.getByRole('heading', { name: /objectives \(\d+\)/ })).toBeVisible();
    await page.getByRole('button', { name: 'New objective' }).click();
    const form = page.getByRole('form', { name: 'New objective' });
    // Keyboard users land in the form, and back on the objective when it closes.
    await expect(form.getByLabel('Title')).toBeFocused();
    await form.getByLabel('Title').fill('Halve refund handling time');
    await form.getByLabel('Owner').selectOption({ label: 'Priya Natarajan' });
    await form.getByLabel('Team').selectOption({ label: 'Payments' });
    await form.getByLabel('Priority weight').fill('4');
    await form.getByRole('button', { name: 'Create objective' }).click();

    const detail = page.getByRole('region', { name: 'Objective: Halve refund handling time' });
    await expect(detail).toBeVisible();
    await detail.getByLabel('New key result').fill('Median refund time');
    await detail.getByLabel('Start').fill('6');
    await detail.getByLabel('Target').fill('3');
    await detail.getByLabel('Unit').fill('days');
    await detail.getByRole('button', { name: 'Add key result' }).click();
    await expect(detail.getByRole('cell', { name: 'Median refund time' })).toBeVisible();
    await detail.getByLabel('Note').fill('Started this week.');
    await detail.getByRole('button', { name: 'Post update' }).click();
    await expect(detail.getByRole('list', { name: 'Past status updates' })).toContainText('Started this week.');

    const made = (await apiOf().get('/v1/objectives?q=refund%20handling')).objectives;
    expect(made).toEqual([
      expect.objectContaining({
        title: 'Halve refund handling time',
        priorityWeight: 4,
        owner: expect.objectContaining({ name: 'Priya Natarajan' }),
        health: 'on_track',
        keyResults: [expect.objectContaining({ title: 'Median refund time', startValue: 6, targetValue: 3 })],
      }),
    ]);
    await page.screenshot({ path: `${SHOTS}/goals.png`, fullPage: true });
    await expectAccessible(page);

    await detail.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit objective' });
    await edit.getByLabel('Priority weight').fill('2.5');
    await edit.getByLabel('Parent objective').selectOption({ label: 'Grow revenue from enterprise customers' });
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect(detail.getByText('Priority: 2.5')).toBeVisible();
    await expect(detail.getByRole('button', { name: 'Edit' })).toBeFocused();
    const edited = (await apiOf().get('/v1/objectives?q=refund%20handling')).objectives[0];
    expect(edited).toMatchObject({ priorityWeight: 2.5, parentId: expect.any(String) });

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /Export .* as CSV/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^objectives-.*\.csv$/);
    const exported = await file.path().then((p) => readFileSync(p, 'utf8'));
    expect(exported.split('\n')[0]).toContain('type,key,id,title');
    expect(exported).toContain('Halve refund handling time');

    const ticket = await context.newPage();
    await ticket.goto(ticketUrl('PAY-9002'));
    const sidebar = sidebarOf(ticket);
    await sidebar.getByRole('button', { name: 'Choose an objective…' }).click();
    const search = sidebar.getByRole('combobox', { name: 'Link to an objective or key result' });
    await expect(search).toBeFocused();
    await search.fill('refund handling');
    const options = sidebar.getByRole('option');
    await expect(options).toHaveText([/^Halve refund handling time/, /^Median refund time/]);
    // By keyboard: the first match is highlighted; leaving the field links nothing.
    await expect(options.first()).toHaveAttribute('aria-selected', 'true');
    await search.press('Tab');
    await expect(sidebar.getByText('This ticket serves no goal.')).toBeVisible();
    await search.focus();
    await search.press('ArrowDown');
    await expect(options.first()).toHaveAttribute('aria-selected', 'true');
    await search.press('ArrowDown');
    await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
    await search.press('Enter');
    await expect(sidebar.getByText('Median refund time')).toBeVisible();
    const linksUrl = `/v1/links?ref=${encodeURIComponent('jira:acme.atlassian.net/PAY-9002')}`;
    await expect
      .poll(async () => (await apiOf().get(linksUrl)).links)
      .toEqual([expect.objectContaining({ objectiveId: made[0].id, keyResultId: made[0].keyResults[0].id })]);
  } finally {
    await context.close();
  }
});

test('an import with a bad row is refused with that row named, and writes nothing', async () => {
  const { context, page, extensionId } = await connectedBrowser(apiOf(), {});
  try {
    const before = await apiOf().get('/v1/objectives');
    await page.goto(`chrome-extension://${extensionId}/goals.html`);
    const section = page.getByRole('region', { name: 'Import and export' });
    await section.getByLabel('Format').selectOption('csv');
    await section
      .getByLabel('Or paste the file’s content')
      .fill(
        [
          'type,key,title,period,priority,objective,target',
          'objective,ok,Grow partner revenue,2026-Q4,2,,',
          'objective,bad,Broken priority,2026-Q4,very high,,',
          'key_result,,Ten partners live,,,ok,10',
        ].join('\n'),
      );
    await section.getByRole('button', { name: 'Check file' }).click();
    const errors = section.getByRole('table', { name: 'Errors by row' });
    await expect(errors).toBeVisible();
    await expect(errors.getByRole('row', { name: /Row 3 priority/ })).toBeVisible();
    await expect(section.getByText(/nothing was imported/)).toBeVisible();
    await expect(section.getByRole('button', { name: /^Import \d+ objective/ })).toHaveCount(0);
    expect(await apiOf().get('/v1/objectives')).toEqual(before);
    await page.screenshot({ path: `${SHOTS}/goals-import-refused.png`, fullPage: true });

    // Mended, it previews first, then imports on confirmation.
    await section
      .getByLabel('Or paste the file’s content')
      .fill(
        [
          'type,key,title,period,priority,objective,target',
          'objective,ok,Grow partner revenue,2026-Q4,2,,',
          'key_result,,Ten partners live,,,ok,10',
        ].join('\n'),
      );
    await section.getByRole('button', { name: 'Check file' }).click();
    await expect(section.getByText(/is valid: 1 objective and 1 key result — 1 new, 0 updated/)).toBeVisible();
    expect(await apiOf().get('/v1/objectives')).toEqual(before);
    await section.getByRole('button', { name: 'Import 1 objective' }).click();
    await expect(section.getByText('Imported: 1 created, 0 updated.')).toBeVisible();
    const after = (await apiOf().get('/v1/objectives?q=partner%20revenue')).objectives;
    expect(after.map((o: { title: string }) => o.title)).toEqual(['Grow partner revenue']);

    // A large file (in a later period, so the other tests' figures stay as they are): the bar moves
    // as the API writes its rows.
    const large = [
      'periods:',
      '  - { name: 2027-Q3, startsOn: 2027-07-01, endsOn: 2027-09-30 }',
      'objectives:',
      ...Array.from({ length: 1500 }, (_, i) => `  - { title: Later objective ${i}, period: 2027-Q3 }`),
    ].join('\n');
    await section.getByLabel('Format').selectOption('yaml');
    // Pasted, as a person would; Playwright's fill types through the browser's editing instead,
    // which takes seconds for a text this long.
    const box = section.getByLabel('Or paste the file’s content');
    await box.fill('');
    await box.evaluate((field, text) => {
      const clipboardData = new DataTransfer();
      clipboardData.setData('text/plain', text);
      field.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
    }, large);
    await expect(box).toHaveValue(large);
    await section.getByRole('button', { name: 'Check file' }).click();
    // Every state of the bar is noted as the page changes it: the import may be over in a moment.
    await page.evaluate(() => {
      const seen: string[] = [];
      Object.assign(window, { importBar: seen });
      new MutationObserver(() => {
        const bar = document.querySelector('progress[aria-label="Importing"]');
        if (bar) seen.push(`${bar.getAttribute('value')}/${bar.getAttribute('max')}`);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await section.getByRole('button', { name: 'Import 1500 objectives' }).click();
    await expect(section.getByText('Imported: 1500 created, 0 updated.')).toBeVisible({ timeout: 60_000 });
    const states = (await page.evaluate('window.importBar')) as string[];
    expect(states.filter((state) => /^[1-9]\d*\/1500$/.test(state)).length).toBeGreaterThan(0);
  } finally {
    await context.close();
  }
});

test('the review page shows allocation and drift for the demo data, and records a decision', async () => {
  const { context, page, extensionId } = await connectedBrowser(apiOf(), {});
  try {
    const review = await apiOf().get('/v1/review');
    await page.goto(`chrome-extension://${extensionId}/review.html`);
    await expect(page.getByTestId('review-coverage')).toHaveText(percent(review.coverage.coverage));
    await expect(page.getByTestId('review-fit')).toHaveText(review.fit.toFixed(2));
    const allocation = page.getByRole('region', { name: 'Allocation against priority' });
    // The chart draws a bar per objective's priority and per objective with work (an empty one has
    // no bar); the table beside it says the same in words.
    const withWork = review.allocation.filter((r: { allocationShare: number }) => r.allocationShare > 0).length;
    await expect(allocation.locator('.recharts-bar-rectangle')).toHaveCount(review.allocation.length + withWork);
    await expect(allocation.getByRole('table').getByRole('row')).toHaveCount(review.allocation.length + 1);
    await expect(page.getByRole('region', { name: 'Drift warnings' }).getByText('Coverage is drifting:')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Coverage trend' }).locator('.recharts-line')).toHaveCount(2);
    await expect(page.getByTestId('past-review')).toHaveCount(2);
    await expect(page.getByTestId('past-review').first()).toContainText('No decision recorded.');
    await page.screenshot({ path: `${SHOTS}/review.png`, fullPage: true });
    await expectAccessible(page);

    const record = page.getByRole('region', { name: 'Record this review' });
    await record.getByLabel('Notes').fill('SEPA is starved again.');
    await record.getByRole('button', { name: 'Add a decision' }).click();
    await record.getByLabel('Kind').selectOption('reprioritise');
    await record.getByLabel('What was decided').fill('Raise SEPA and iDEAL above invoicing for December');
    await record.getByLabel('Owner').selectOption({ label: 'Priya Natarajan' });
    await record.getByLabel('Due').fill('2026-12-05');
    await record.getByRole('button', { name: 'Record review with 1 decision' }).click();
    await expect(record.getByText('Review recorded.')).toBeVisible();
    await expect(page.getByTestId('past-review')).toHaveCount(3);
    await expect(page.getByTestId('past-review').first()).toContainText(
      'Re-prioritise: Raise SEPA and iDEAL above invoicing for December — Priya Natarajan, due 2026-12-05',
    );
    const held = (await apiOf().get('/v1/reviews')).reviews[0];
    expect(held).toMatchObject({ team: null, notes: 'SEPA is starved again.', decisions: [{ kind: 'reprioritise' }] });

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export as Markdown' }).click();
    const markdown = await (await download).createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of markdown) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text).toContain('# Alignment review: Everyone');
    expect(text).toContain('Raise SEPA and iDEAL above invoicing for December');

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS}/review-dark.png`, fullPage: true });
    await expectAccessible(page);
  } finally {
    await context.close();
  }
});

test('the options page: the names matched on each host are shown and editable', async () => {
  const { context, page, extensionId } = await connectedBrowser(apiOf(), {});
  try {
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await expect(page.getByLabel('GitHub login')).toHaveValue('samrivera');
    await expect(page.getByLabel('Jira name')).toHaveValue('Sam Rivera');
    await page.getByLabel('Asana name').fill('Sam R.');
    await page.getByRole('button', { name: 'Save names' }).click();
    await expect(page.getByText('Saved.')).toBeVisible();
    expect((await apiOf().get('/v1/me')).user.identities).toMatchObject({
      githubLogin: 'samrivera',
      asanaName: 'Sam R.',
    });
    await page.screenshot({ path: `${SHOTS}/options.png`, fullPage: true });
    await expectAccessible(page);
  } finally {
    await context.close();
  }
});

test('the popup signed out says how to connect; offline it says so and shows the last figures with their time', async () => {
  const fresh = await launchWithExtension();
  try {
    const page = await fresh.context.newPage();
    await page.goto(`chrome-extension://${fresh.extensionId}/popup.html`);
    await expect(
      page.getByText('Connect Throughline to your team’s goals API to see your goal coverage.'),
    ).toBeVisible();
    const optionsOpened = fresh.context.waitForEvent('page');
    await page.getByRole('button', { name: 'Open the options' }).click();
    expect((await optionsOpened).url()).toMatch(/\/options\.html$/);
    await expectAccessible(page);
  } finally {
    await fresh.context.close();
  }

  const { context, page, extensionId } = await connectedBrowser(apiOf(), {});
  try {
    const mine = await apiOf().get('/v1/me/coverage');
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    await expect(page.getByTestId('my-coverage')).toHaveText(percent(mine.coverage.coverage));
    await apiOf().pause();
    await page.reload();
    await expect(page.getByRole('alert')).toContainText('Offline: The goals API at');
    await expect(page.getByText(/^As the goals API last said, at /)).toBeVisible();
    await expect(page.getByTestId('my-coverage')).toHaveText(percent(mine.coverage.coverage));
    await page.screenshot({ path: `${SHOTS}/popup-offline.png` });
    await apiOf().resume();
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.getByTestId('my-coverage')).toHaveText(percent(mine.coverage.coverage));
  } finally {
    await context.close();
  }
});
