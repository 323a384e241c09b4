// Runs the bot behind Bot Framework's CloudAdapter on POST /api/messages.
// Environment: KB_URL (kb-server, default http://127.0.0.1:8080), KB_LANG (language when an
// activity has no locale; default: detected by kb-server), PORT (default 3978), and
// the usual MicrosoftAppId / MicrosoftAppPassword / MicrosoftAppType / MicrosoftAppTenantId
// (empty for the Bot Framework Emulator).
'use strict';

const http = require('node:http');
const {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
} = require('botbuilder');
const { KnowledgeBaseBot } = require('./bot');

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(process.env));
adapter.onTurnError = async (context, error) => {
  console.error(`bot error: ${error.message}`);
  await context.sendActivity('Sorry, something went wrong.');
};
const bot = new KnowledgeBaseBot({
  kbUrl: process.env.KB_URL || 'http://127.0.0.1:8080',
  defaultLocale: process.env.KB_LANG || '',
});

// CloudAdapter expects an Express/restify-like request and response; node:http needs a
// small shim.
function shim(res) {
  return {
    socket: res.socket,
    status(code) { res.statusCode = code; return this; },
    header(name, value) { res.setHeader(name, value); return this; },
    send(body) {
      if (body !== undefined) res.write(typeof body === 'string' ? body : JSON.stringify(body));
      return this;
    },
    end() { res.end(); return this; },
  };
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/messages') {
    res.statusCode = 404;
    res.end();
    return;
  }
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { raw += chunk; });
  req.on('end', async () => {
    try {
      const body = JSON.parse(raw);
      await adapter.process({ body, headers: req.headers, method: req.method }, shim(res),
        (context) => bot.run(context));
    } catch (err) {
      console.error(`bad request: ${err.message}`);
      if (!res.headersSent) res.statusCode = 400;
      res.end();
    }
  });
});

const port = Number(process.env.PORT || 3978);
server.listen(port, '127.0.0.1', () => {
  console.log(`botframework-bot: listening on http://127.0.0.1:${port}/api/messages`);
});
