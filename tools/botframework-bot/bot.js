// A Bot Framework bot that answers from the knowledge base: the user's text goes to
// kb-server's /v1/answer?channel=botframework, and the Activity that comes back is sent
// unchanged. kb-server does all the formatting (markdown text, hero card, suggested
// actions, SSML, metadata in channelData), so this bot has no glue code to keep in sync.
'use strict';

const { ActivityHandler } = require('botbuilder');

const UNAVAILABLE = "Sorry, I can't reach our help center right now. Please try again in a moment.";

class KnowledgeBaseBot extends ActivityHandler {
  // kbUrl: base URL of kb-server, e.g. "http://127.0.0.1:8080".
  // defaultLocale: language asked for when an activity has no locale ("" lets kb-server
  // detect it from the text).
  // timeoutMs: how long to wait for an answer before apologising.
  constructor({ kbUrl, defaultLocale = '', timeoutMs = 5000, log = console } = {}) {
    super();
    if (!kbUrl) throw new Error('KnowledgeBaseBot needs kbUrl (the kb-server base URL)');
    this.kbUrl = kbUrl;
    this.defaultLocale = defaultLocale;
    this.timeoutMs = timeoutMs;
    this.log = log;
    this.onMessage(async (context, next) => {
      const text = (context.activity.text || '').trim();
      if (text) await context.sendActivity(await this.answer(text, context.activity.locale || this.defaultLocale));
      await next();
    });
  }

  // The activity to send for `text`: kb-server's answer (or no-answer) as is, or a plain
  // apology when kb-server cannot be reached or refuses the request. `locale` is the
  // activity's (the user's) locale; kb-server falls back from "de-ch" to "de" to its
  // default languages.
  async answer(text, locale) {
    const url = new URL('/v1/answer', this.kbUrl);
    url.searchParams.set('q', text);
    url.searchParams.set('channel', 'botframework');
    if (locale) url.searchParams.set('lang', locale);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) {
        this.log.error(`kb-server answered ${res.status} for /v1/answer`);
        return { type: 'message', text: UNAVAILABLE };
      }
      return await res.json();
    } catch (err) {
      this.log.error(`kb-server unreachable: ${err.message}`);
      return { type: 'message', text: UNAVAILABLE };
    }
  }
}

module.exports = { KnowledgeBaseBot, UNAVAILABLE };
