// Drives the bot with botbuilder's TestAdapter against a real kb-server over a fixture
// knowledge base built by the real kb-index. CTest passes the paths:
//   KB_INDEX            kb-index executable
//   KB_SERVER           kb-server executable
//   KB_FIXTURE_CONTENT  content folder to index (tests/fixtures/content)
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

let botbuilder;
try {
  botbuilder = require('botbuilder');
} catch (err) {
  throw new Error(`botbuilder is not installed: run npm ci --prefix tools/botframework-bot (${err.message})`);
}
const { TestAdapter } = botbuilder;
const { KnowledgeBaseBot, UNAVAILABLE } = require('../bot');

for (const name of ['KB_INDEX', 'KB_SERVER', 'KB_FIXTURE_CONTENT']) {
  if (!process.env[name]) throw new Error(`${name} is not set (run this test through ctest)`);
}

let dir;
let server;
let kbUrl;

// Starts kb-server on an ephemeral port and resolves with its URL once it prints the
// "listening on" line: no fixed port, no sleeping.
function startServer(kbDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.KB_SERVER, ['--kb', kbDir, '--port', '0', '--no-access-log'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => reject(new Error(`kb-server exited with ${code}: ${stderr}`)));
    child.on('error', reject);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) resolve({ child, url: m[1] });
    });
  });
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-bot-test-'));
  execFileSync(process.env.KB_INDEX, ['build', '--content', process.env.KB_FIXTURE_CONTENT, '--out',
    path.join(dir, 'kb')], { stdio: 'pipe' });
  const started = await startServer(path.join(dir, 'kb'));
  server = started.child;
  kbUrl = started.url;
});

after(() => {
  if (server) {
    server.removeAllListeners('exit');
    server.kill('SIGTERM');
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// What kb-server returns for the question, fetched directly, to compare with what the bot
// sent; the user's messages carry the locale en-US as Web Chat and Teams send it.
async function kbActivity(q) {
  const url = new URL('/v1/answer', kbUrl);
  url.searchParams.set('q', q);
  url.searchParams.set('channel', 'botframework');
  url.searchParams.set('lang', 'en-US');
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  return { activity: await res.json(), headers: res.headers };
}

function message(text, locale = 'en-US') {
  return { type: 'message', text, locale };
}

function botAdapter(options = {}) {
  const bot = new KnowledgeBaseBot({ kbUrl, log: { error() {} }, ...options });
  return new TestAdapter(async (context) => bot.run(context));
}

test('an answer is sent as the activity kb-server rendered, unchanged', async () => {
  const { activity: expected, headers } = await kbActivity('I forgot my password');
  assert.equal(headers.get('x-kb-article'), 'reset-password');
  let sent;
  await botAdapter()
    .send(message('I forgot my password'))
    .assertReply((activity) => { sent = activity; })
    .startTest();

  assert.equal(sent.type, 'message');
  assert.equal(sent.textFormat, 'markdown');
  assert.equal(sent.text, expected.text);
  assert.match(sent.text, /^\*\*How do I reset my password\?\*\*\n\nChoose "Forgot password"/);
  assert.match(sent.text, /\n1\. Open the sign-in page and choose Forgot password\.\n2\. /);
  assert.deepEqual(sent.attachments, expected.attachments);
  assert.equal(sent.attachments.length, 1);
  assert.equal(sent.attachments[0].contentType, 'application/vnd.microsoft.card.hero');
  assert.equal(sent.attachments[0].content.title, 'How do I reset my password?');
  assert.deepEqual(sent.suggestedActions, {
    actions: [
      { type: 'imBack', title: 'Why is my account locked?', value: 'Why is my account locked?' },
      { type: 'imBack', title: "can't sign in", value: "can't sign in" },
    ],
  });
  assert.deepEqual(sent.channelData, {
    kb: {
      answered: true,
      article: 'reset-password',
      lang: 'en',
      version: headers.get('x-kb-version'),
      confidence: Number(headers.get('x-kb-confidence')),
    },
  });
  assert.match(sent.speak, /^<speak version="1\.0" xmlns="http:\/\/www\.w3\.org\/2001\/10\/synthesis" xml:lang="en">/);
  // Nothing but the adapter's addressing fields was added to kb-server's activity.
  for (const [key, value] of Object.entries(expected)) assert.deepEqual(sent[key], value, key);
});

test('a follow-up prompt the user taps is answered from its own article', async () => {
  let sent;
  await botAdapter()
    .send(message('Why is my account locked?'))
    .assertReply((activity) => { sent = activity; })
    .startTest();
  assert.equal(sent.channelData.kb.article, 'account-locked');
  assert.equal(sent.attachments[0].content.title, 'Why is my account locked?');
});

test('without a sure answer the bot offers candidates and a hand-off', async () => {
  let sent;
  await botAdapter()
    .send(message('xyzzy plugh frobnicate'))
    .assertReply((activity) => { sent = activity; })
    .startTest();
  assert.equal(sent.type, 'message');
  assert.equal(sent.channelData.kb.answered, false);
  assert.equal(sent.channelData.kb.reason, 'no_match');
  assert.equal(sent.channelData.kb.handoff, 'agent');
  assert.equal(sent.attachments, undefined);
  assert.deepEqual(sent.suggestedActions.actions.at(-1), { type: 'imBack', title: 'Talk to an agent', value: 'Talk to an agent' });
  assert.match(sent.text, /^I'm not sure I have the right answer\./);
});

test("the user's locale chooses the language of the answer", async () => {
  let sent;
  await botAdapter()
    .send(message('Passwort vergessen', 'de-DE'))
    .assertReply((activity) => { sent = activity; })
    .startTest();
  assert.equal(sent.channelData.kb.article, 'reset-password');
  assert.equal(sent.channelData.kb.lang, 'de');
  assert.equal(sent.attachments[0].content.title, 'Wie setze ich mein Passwort zurück?');
});

test('internal notes never reach the bot', async () => {
  let sent;
  await botAdapter()
    .send(message('verify identity security questions forgot password'))
    .assertReply((activity) => { sent = activity; })
    .startTest();
  // The question is about the article that has the fixture's internal note.
  const kb = sent.channelData.kb;
  assert.equal(kb.answered ? kb.article : kb.candidates[0], 'reset-password');
  assert.doesNotMatch(JSON.stringify(sent), /FIXTURE-CANARY/);
});

test('without a locale the configured default language is asked for', async () => {
  let sent;
  await botAdapter({ defaultLocale: 'en' })
    .send({ type: 'message', text: 'I forgot my password' })
    .assertReply((activity) => { sent = activity; })
    .startTest();
  assert.equal(sent.channelData.kb.article, 'reset-password');
  assert.equal(sent.channelData.kb.answered, true);
});

test('an unreachable kb-server gets an apology, not a crash', async () => {
  await botAdapter({ kbUrl: 'http://127.0.0.1:1', timeoutMs: 2000 })
    .send(message('I forgot my password'))
    .assertReply(UNAVAILABLE)
    .startTest();
});
