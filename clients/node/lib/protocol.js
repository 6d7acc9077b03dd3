'use strict';
/**
 * qbo-sim's JSON-lines integration protocol, version 1 revision 2
 * (qbo_sim/harness/protocol.schema.json),
 * for an integration written in Node. No dependencies.
 *
 *   const { serve } = require('qbo-sim-client');
 *   serve(() => new MySync());   // node my-sync.js, run by: --integration "cmd:node my-sync.js"
 *
 * The integration object implements (each may be async):
 *   connect(connection)            the Connection (below), before the first step
 *   apply(change)                  a field-service record change {kind, key, action, data}
 *   sync()                         one sync pass
 *   status(kind, key)              {state, qbo_id, error: {code, message} | null, attempts}
 *   operate(action, kind, key, params)
 *   receiveWebhook(headers, body)  optional: a QBO notification (body: the exact text);
 *                                  declaring it subscribes the integration ("webhooks")
 *   inbound(kind, key)             optional: what came back from QBO ("inbound")
 *   close()                        optional (also called on reset, before the next scenario's
 *                                  object is made: one process serves scenario after scenario)
 *   name                           optional: shown in reports, matched by expect_failure_for
 *
 * The Connection carries the fields the harness sends (apiBaseUrl, realmId, accessToken,
 * refreshToken, clientId, clientSecret, oauthTokenUrl, webhookVerifier, ..., companies:
 * alias -> Connection) and the simulated clock: `await connection.now()` (a Date; its ISO text
 * is connection.lastNow) and `await connection.sleep(seconds)` (a frozen clock advances;
 * never setTimeout to wait for QBO). Nothing may be written to stdout but protocol messages:
 * console.log is sent to stderr while serve() runs.
 */

const readline = require('node:readline');

const PROTOCOL_VERSION = 1;

const FIELDS = {
  api_base_url: 'apiBaseUrl',
  realm_id: 'realmId',
  access_token: 'accessToken',
  refresh_token: 'refreshToken',
  access_token_expires_at: 'accessTokenExpiresAt',
  refresh_token_expires_at: 'refreshTokenExpiresAt',
  client_id: 'clientId',
  client_secret: 'clientSecret',
  oauth_token_url: 'oauthTokenUrl',
  oauth_authorize_url: 'oauthAuthorizeUrl',
  webhook_verifier: 'webhookVerifier',
};

class Connection {
  constructor(fields, ask) {
    for (const [wire, name] of Object.entries(FIELDS)) this[name] = fields[wire] ?? null;
    /** the simulated clock when connect was sent (ISO 8601 text) */
    this.connectedAt = fields.now;
    this.lastNow = fields.now;
    this._ask = ask;
    this.companies = {};
    for (const [alias, other] of Object.entries(fields.companies || {})) {
      this.companies[alias] = new Connection(other, ask);
    }
  }

  /** `${apiBaseUrl}/v3/company/${realmId}/${path}` */
  companyUrl(path = '') {
    return `${this.apiBaseUrl}/v3/company/${this.realmId}/${String(path).replace(/^\/+/, '')}`;
  }

  /** The simulated clock (a Date); the harness's ISO text is kept in lastNow. */
  async now() {
    this.lastNow = await this._ask('now');
    return new Date(this.lastNow);
  }

  /** Advance the simulated clock (a frozen clock does not wait). */
  async sleep(seconds) {
    await this._ask('sleep', { seconds: Number(seconds) });
  }
}

function capabilities(integration, reuse) {
  const found = reuse ? ['companies', 'reuse', 'statuses'] : ['companies', 'statuses'];
  if (typeof integration.receiveWebhook === 'function') found.push('webhooks');
  if (typeof integration.inbound === 'function') found.push('inbound');
  return found;
}

function errorOf(exc) {
  const error = { type: (exc && exc.name) || 'Error', message: String((exc && exc.message) ?? exc) };
  if (exc && exc.stack) error.traceback = String(exc.stack);
  return error;
}

/**
 * Run the protocol loop on `input`/`output` (default: the process's stdin/stdout) until the
 * harness sends close or closes stdin. Resolves when the loop ends. `reuse: false` when the
 * integration keeps state outside its object (module globals): it then gets a fresh process
 * for every scenario instead of a reset.
 */
function serve(factory, { input = process.stdin, output = process.stdout, exit = true, reuse = true } = {}) {
  let integration = factory(); // a new one on reset (capability reuse)
  const write = (message) => output.write(JSON.stringify(message) + '\n');
  const pending = new Map(); // call id -> {resolve, reject}
  const requests = []; // the harness's requests, handled one at a time
  let counter = 0;
  let busy = false;
  let finished;
  const done = new Promise((resolve) => { finished = resolve; });
  if (output === process.stdout) {
    console.log = (...args) => console.error(...args); // stdout carries messages only
  }

  const ask = (method, params = {}) => {
    counter += 1;
    const id = `c${counter}`;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      write(method === 'now' ? { id, method } : { id, method, params });
    });
  };

  async function handle(message) {
    const { method } = message;
    const params = message.params || {};
    switch (method) {
      case 'hello':
        if (params.protocol !== PROTOCOL_VERSION) {
          throw new Error(`this helper speaks protocol ${PROTOCOL_VERSION}, not ${params.protocol}`);
        }
        return {
          protocol: PROTOCOL_VERSION,
          name: integration.name ?? null,
          capabilities: capabilities(integration, reuse),
        };
      case 'connect': {
        const connection = new Connection(params.connection, ask);
        const answer = await integration.connect(connection);
        return { name: (answer && answer.name) || integration.name || null };
      }
      case 'apply':
        await integration.apply(params.change);
        return null;
      case 'sync':
        await integration.sync();
        return null;
      case 'status':
        return await integration.status(params.kind, params.key);
      case 'statuses': { // several records in one request; an unknown one is its own error
        const items = [];
        for (const { kind, key } of params.records) {
          try {
            items.push({ kind, key, status: await integration.status(kind, key) });
          } catch (exc) {
            items.push({ kind, key, error: errorOf(exc) });
          }
        }
        return items;
      }
      case 'operate':
        await integration.operate(params.action, params.kind, params.key, params.params || {});
        return null;
      case 'inbound':
        return (await integration.inbound(params.kind, params.key)) ?? {};
      case 'webhook':
        await integration.receiveWebhook(params.headers, params.body);
        return null;
      case 'reset': // the next scenario follows in this process: start again from factory()
        if (typeof integration.close === 'function') await integration.close();
        integration = factory();
        return null;
      case 'close':
        if (typeof integration.close === 'function') await integration.close();
        return null;
      default:
        throw new Error(`unknown method ${JSON.stringify(method)}`);
    }
  }

  async function drain() {
    if (busy) return;
    busy = true;
    while (requests.length) {
      const message = requests.shift();
      try {
        const result = await handle(message);
        write({ id: message.id, result: result === undefined ? null : result });
      } catch (exc) {
        write({ id: message.id, error: errorOf(exc) });
      }
      if (message.method === 'close') {
        lines.close();
        if (exit && output === process.stdout) process.exit(0); // pooled sockets: do not linger
        return;
      }
    }
    busy = false;
  }

  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    const message = JSON.parse(line);
    if (message.method === undefined) { // a reply to one of our calls
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.error) waiting.reject(new Error(message.error.message));
      else waiting.resolve(message.result);
      return;
    }
    requests.push(message);
    drain();
  });
  lines.on('close', () => {
    for (const waiting of pending.values()) waiting.reject(new Error('the harness closed stdin'));
    pending.clear();
    finished();
    if (exit && input === process.stdin) process.exit(0);
  });
  return done;
}

module.exports = { serve, Connection, PROTOCOL_VERSION };
