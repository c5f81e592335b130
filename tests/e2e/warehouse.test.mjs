// The editor's SQL tab in the real app: the count query of a segment per warehouse dialect
// (the same text `segments sql` prints for the app's database), "Copy SQL" onto the real
// clipboard (pasted back into a field), a dialect's refusal in words, the tab at 1024×700,
// an accessible name on every control, and "Count in warehouse" against a closed port.
// Screenshots go to tests/output/e2e/ (prefixed `sql-`).

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { cli, launch, layoutProblems, outputDir } from './harness.mjs';

let app;
let browser;

const shot = (name) => browser.saveScreenshot(path.join(outputDir, `sql-${name}.png`));
const byLabel = (label) => browser.$(`[aria-label="${label}"]`);

async function click(label) {
  const element = await byLabel(label);
  await element.waitForClickable({ timeout: 10_000 });
  await element.click();
}

async function choose(label, value) {
  const select = await byLabel(label);
  await select.waitForDisplayed({ timeout: 10_000 });
  await select.selectByAttribute('value', value);
}

async function fill(label, text) {
  const input = await byLabel(label);
  await input.waitForDisplayed({ timeout: 10_000 });
  await input.clearValue();
  await input.setValue(text);
}

async function openSegment(name) {
  await click(name);
  await (await byLabel('Segment editor')).waitForDisplayed({ timeout: 10_000 });
  const tab = await browser.$('//button[@role="tab" and normalize-space()="SQL"]');
  await tab.waitForClickable({ timeout: 10_000 });
  await tab.click();
  await (await byLabel('Warehouse SQL')).waitForDisplayed({ timeout: 10_000 });
}

/** What `segments sql` prints for one segment of the app's database. */
function cliSql(dialect, key, table = 'users') {
  return cli(app.db, 'sql', '--dialect', dialect, '--table', table, '--segment', key);
}

async function waitForText(label, expected, what) {
  const element = await byLabel(label);
  let shown = '';
  await browser.waitUntil(
    async () => {
      shown = (await element.isExisting()) ? await element.getText() : '';
      return shown === expected;
    },
    { timeout: 10_000, timeoutMsg: `${what}: expected "${expected}", the app showed "${shown}"` },
  ).catch(async (e) => {
    await shot(`failed-${label.replace(/\W+/g, '-')}`);
    throw e;
  });
}

before(async () => {
  app = await launch();
  browser = app.browser;
  await (await byLabel('Segments')).waitForDisplayed({ timeout: 30_000 });
});

after(async () => {
  if (app) await app.close();
});

test('the SQL tab shows what `segments sql` prints, per dialect, and copies it', async () => {
  await openSegment('Beta Testers (beta-testers)');
  // The dialect and table are remembered between launches: start from known ones.
  await choose('SQL dialect', 'postgres');
  await fill('Table name', 'users');
  const postgres = cliSql('postgres', 'beta-testers');
  assert.equal(postgres.refused.length, 0, JSON.stringify(postgres.refused));
  await waitForText('Count query', postgres.segments[0].count, 'PostgreSQL');

  await choose('SQL dialect', 'spark');
  const spark = cliSql('spark', 'beta-testers');
  assert.notEqual(spark.segments[0].count, postgres.segments[0].count);
  await waitForText('Count query', spark.segments[0].count, 'Spark SQL');
  await shot('spark');

  await click('Copy SQL');
  await waitForText('Copy result', 'Copied', 'after Copy SQL');
  // Paste into the description: what the real clipboard holds, as a person would see it.
  const description = await byLabel('Description');
  await description.scrollIntoView({ block: 'center' });
  await description.click();
  await browser.keys(['Control', 'a']);
  await browser.keys(['Control', 'v']);
  await browser.waitUntil(async () => (await description.getValue()) === spark.segments[0].count, {
    timeout: 10_000,
    timeoutMsg: 'pasting did not give the copied query',
  });
  await click('Discard changes');
  await click('Discard all changes');
  await browser.waitUntil(async () => (await description.getValue()) !== spark.segments[0].count, {
    timeout: 10_000,
    timeoutMsg: 'the pasted description was not discarded',
  });
});

test('a dialect that cannot express the segment says why, in the compiler words', async () => {
  await openSegment('Mobile app 2.x (mobile-v2)');
  await choose('SQL dialect', 'snowflake');
  const snowflake = cliSql('snowflake', 'mobile-v2');
  assert.equal(snowflake.refused.length, 1, 'Snowflake has no exact form of semver_gte on a text column');
  await waitForText('Why there is no SQL', `No Snowflake SQL for this segment. Why: ${snowflake.refused[0].reason}`, 'Snowflake');
  assert.equal(await (await byLabel('Count query')).isExisting(), false);
  assert.equal(await (await byLabel('Copy SQL')).isEnabled(), false);
  await shot('snowflake-refused');
});

test('at 1024×700 the SQL tab fits and every control in it has a name', async () => {
  await choose('SQL dialect', 'postgres');
  await browser.setWindowSize(1024, 700);
  await browser.waitUntil(async () => (await browser.execute(() => window.innerWidth)) <= 1024, {
    timeout: 10_000,
    timeoutMsg: 'the window never became 1024 wide',
  });
  await (await byLabel('Warehouse SQL')).scrollIntoView({ block: 'start' });
  await browser.pause(300);
  await shot('window-1024x700');
  assert.deepEqual(await layoutProblems(browser), []);
  const unnamed = await browser.execute(() => {
    const panel = document.querySelector('[aria-label="Warehouse SQL"]');
    const named = (e) =>
      (e.getAttribute('aria-label') ?? '').trim() !== '' ||
      (e.getAttribute('aria-labelledby') ?? '').trim() !== '' ||
      (e.labels && e.labels.length > 0) ||
      (e.tagName === 'BUTTON' && e.textContent.trim() !== '');
    return Array.from(panel.querySelectorAll('button, input, select, textarea, a, summary, [tabindex]'))
      .filter((e) => !named(e))
      .map((e) => e.outerHTML.slice(0, 80));
  });
  assert.deepEqual(unnamed, []);
  await browser.setWindowSize(1280, 800);
});

/** A port of 127.0.0.1 that nothing listens on: bound, then closed. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('count in warehouse: the connection is saved without showing the password, and an unreachable warehouse says so', async () => {
  const port = await closedPort();
  const password = 'e2e-warehouse-password';
  await openSegment('Beta Testers (beta-testers)');
  await fill('Warehouse URL', `postgres://analyst@127.0.0.1:${port}/analytics`);
  await fill('Warehouse table', 'users');
  await fill('Warehouse password', password);
  await click('Save warehouse connection');
  await (await byLabel('Warehouse connection')).waitForExist({ reverse: true, timeout: 10_000 });
  await click('Count in warehouse');
  const alert = await byLabel('Warehouse count failed');
  await alert.waitForDisplayed({ timeout: 20_000 });
  const text = await alert.getText();
  assert.match(text, /Couldn't reach the warehouse/);
  assert.match(text, /Code: warehouse_unreachable/);
  assert.match(text, new RegExp(`127\\.0\\.0\\.1:${port}`));
  assert.equal((await browser.execute(() => document.body.innerText)).includes(password), false);
  await alert.scrollIntoView({ block: 'center' });
  await shot('count-unreachable');
});
