'use strict';
// The protocol loop (lib/protocol.js) against a scripted harness, and pieces of the example
// connector. Run: node --test test/   (from clients/node; .ci/run runs it). The messages
// themselves are checked against qbo_sim/harness/protocol.schema.json from Python
// (tests/connectors/test_node_example.py), on a whole run of the example.
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { PassThrough } = require('node:stream');
const { serve, PROTOCOL_VERSION } = require('../lib/protocol');
const http = require('node:http');
const { quote, faultFromBody, isThrottle, exchange } = require('../example/fieldservice-sync/client');
const { checked } = require('../example/fieldservice-sync/mapping');
const { verifySignature, events } = require('../example/fieldservice-sync/inbound');

/** a harness on two streams: send() writes one line, next() reads the next message */
function harness(factory) {
  const input = new PassThrough();
  const output = new PassThrough();
  const queue = [];
  const waiting = [];
  let buffer = '';
  output.on('data', (chunk) => {
    buffer += chunk;
    let at;
    while ((at = buffer.indexOf('\n')) >= 0) {
      const message = JSON.parse(buffer.slice(0, at));
      buffer = buffer.slice(at + 1);
      if (waiting.length) waiting.shift()(message);
      else queue.push(message);
    }
  });
  const done = serve(factory, { input, output, exit: false });
  return {
    send: (message) => input.write(JSON.stringify(message) + '\n'),
    next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve))),
    done,
  };
}

const CONNECTION = { api_base_url: 'http://127.0.0.1:1', realm_id: '42', access_token: 't', now: '2026-03-02T17:00:00+00:00' };

class Recorder {
  constructor() { this.name = 'recorder'; this.changes = []; this.hooks = []; }
  connect(connection) { this.connection = connection; }
  apply(change) { this.changes.push(change); }
  async sync() {
    const before = await this.connection.now();
    await this.connection.sleep(30);
    this.seen = [before.toISOString(), this.connection.lastNow];
  }
  status(kind, key) { return { state: 'pending', qbo_id: null, error: null, attempts: 0, kind, key }; }
  operate(action) { if (action === 'edit') throw new TypeError('no edits here'); }
  receiveWebhook(headers, body) { this.hooks.push([headers, body]); }
}

test('hello answers protocol 1, the name and the capabilities the object has', async () => {
  const h = harness(() => new Recorder());
  h.send({ id: 0, method: 'hello', params: { protocol: 1 } });
  assert.deepEqual(await h.next(), {
    id: 0, result: { protocol: PROTOCOL_VERSION, name: 'recorder', capabilities: ['companies', 'reuse', 'statuses', 'webhooks'] },
  });
  h.send({ id: 1, method: 'close', params: {} });
  assert.deepEqual(await h.next(), { id: 1, result: null });
  await h.done;
});

test('reuse: false leaves the capability out', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  const lines = [];
  output.on('data', (chunk) => lines.push(...String(chunk).trim().split('\n')));
  const done = serve(() => new Recorder(), { input, output, exit: false, reuse: false });
  input.write(JSON.stringify({ id: 0, method: 'hello', params: { protocol: 1 } }) + '\n');
  input.end();
  await done;
  assert.deepEqual(JSON.parse(lines[0]).result.capabilities, ['companies', 'statuses', 'webhooks']);
});

test('another protocol version is answered with an error', async () => {
  const h = harness(() => new Recorder());
  h.send({ id: 0, method: 'hello', params: { protocol: 2 } });
  const answer = await h.next();
  assert.equal(answer.id, 0);
  assert.match(answer.error.message, /speaks protocol 1, not 2/);
});

test('the clock: now and sleep are calls to the harness, answered while sync runs', async () => {
  let made;
  const h = harness(() => { made = new Recorder(); return made; });
  h.send({ id: 1, method: 'connect', params: { connection: { ...CONNECTION, companies: { b: { ...CONNECTION, realm_id: '43' } } } } });
  assert.deepEqual(await h.next(), { id: 1, result: { name: 'recorder' } });
  assert.equal(made.connection.companyUrl('/query'), 'http://127.0.0.1:1/v3/company/42/query');
  assert.equal(made.connection.companies.b.realmId, '43');
  h.send({ id: 2, method: 'sync', params: {} });
  const now = await h.next();
  assert.deepEqual(now, { id: 'c1', method: 'now' });
  h.send({ id: 'c1', result: '2026-03-02T17:00:00+00:00' });
  const sleep = await h.next();
  assert.deepEqual(sleep, { id: 'c2', method: 'sleep', params: { seconds: 30 } });
  h.send({ id: 'c2', result: null });
  assert.deepEqual(await h.next(), { id: 2, result: null });
  assert.deepEqual(made.seen, ['2026-03-02T17:00:00.000Z', '2026-03-02T17:00:00+00:00']);
});

test('apply, status, webhook and a throwing operate', async () => {
  let made;
  const h = harness(() => { made = new Recorder(); return made; });
  const change = { kind: 'customer', key: 'C1', action: 'upsert', data: { name: 'A' } };
  h.send({ id: 1, method: 'apply', params: { change } });
  assert.deepEqual(await h.next(), { id: 1, result: null });
  assert.deepEqual(made.changes, [change]);
  h.send({ id: 2, method: 'status', params: { kind: 'customer', key: 'C1' } });
  assert.equal((await h.next()).result.state, 'pending');
  h.send({ id: 3, method: 'webhook', params: { headers: { 'intuit-signature': 'x' }, body: '{"a":1}' } });
  assert.deepEqual(await h.next(), { id: 3, result: null });
  assert.deepEqual(made.hooks, [[{ 'intuit-signature': 'x' }, '{"a":1}']]);
  h.send({ id: 4, method: 'operate', params: { action: 'edit', kind: 'customer', key: 'C1', params: {} } });
  const failed = await h.next();
  assert.equal(failed.id, 4);
  assert.equal(failed.error.type, 'TypeError');
  assert.equal(failed.error.message, 'no edits here');
  assert.match(failed.error.traceback, /operate/);
  h.send({ id: 5, method: 'inbound', params: { kind: 'customer', key: 'C1' } });
  assert.match((await h.next()).error.message, /inbound is not a function/);
});

test('reset closes the object and makes the next one from the factory (reuse)', async () => {
  const made = [];
  const closed = [];
  const h = harness(() => {
    const one = new Recorder();
    one.close = () => closed.push(made.indexOf(one));
    made.push(one);
    return one;
  });
  h.send({ id: 1, method: 'apply', params: { change: { kind: 'customer', key: 'C1', data: {} } } });
  assert.deepEqual(await h.next(), { id: 1, result: null });
  h.send({ id: 2, method: 'reset', params: {} });
  assert.deepEqual(await h.next(), { id: 2, result: null });
  assert.equal(made.length, 2);
  assert.deepEqual(closed, [0]);
  assert.deepEqual(made[1].changes, []); // nothing of the last scenario
  h.send({ id: 3, method: 'apply', params: { change: { kind: 'item', key: 'I1', data: {} } } });
  await h.next();
  assert.deepEqual(made[1].changes.map((c) => c.key), ['I1']);
  assert.deepEqual(made[0].changes.map((c) => c.key), ['C1']);
});

test('statuses answers each record in order, an unknown one as its own error', async () => {
  const h = harness(() => {
    const one = new Recorder();
    one.status = (kind, key) => {
      if (key === 'nope') throw new RangeError(`no ${kind} record ${key}`);
      return { state: 'synced', qbo_id: `q-${key}`, error: null, attempts: 1 };
    };
    return one;
  });
  const records = [{ kind: 'invoice', key: 'A' }, { kind: 'invoice', key: 'nope' }, { kind: 'invoice', key: 'B' }];
  h.send({ id: 1, method: 'statuses', params: { records } });
  const answer = await h.next();
  assert.equal(answer.id, 1);
  assert.equal(answer.result.length, 3);
  assert.deepEqual(answer.result.map((item) => [item.kind, item.key]), [['invoice', 'A'], ['invoice', 'nope'], ['invoice', 'B']]);
  assert.equal(answer.result[0].status.qbo_id, 'q-A');
  assert.equal(answer.result[1].error.type, 'RangeError');
  assert.equal(answer.result[1].error.message, 'no invoice record nope');
  assert.equal(answer.result[2].status.qbo_id, 'q-B');
});

test('exchange: a FormData body goes as multipart with its length; a dropped connection rejects', async () => {
  const seen = [];
  const server = http.createServer((request, response) => {
    if (request.url === '/drop') { request.socket.destroy(); return; }
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.end('{"ok":true}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const form = new FormData();
    form.append('file_content_01', new Blob(['hello'], { type: 'text/plain' }), 'note.txt');
    const answer = await exchange(`${base}/upload`, { method: 'POST', body: form });
    assert.deepEqual(answer, { status: 200, text: '{"ok":true}' });
    assert.match(seen[0].headers['content-type'], /^multipart\/form-data; boundary=/);
    assert.equal(Number(seen[0].headers['content-length']), Buffer.byteLength(seen[0].body));
    assert.match(seen[0].body, /filename="note.txt"[\s\S]*hello/);
    await assert.rejects(exchange(`${base}/drop`), /socket hang up|ECONNRESET/);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('query literals escape backslash and apostrophe with a backslash', () => {
  assert.equal(quote("O'Brien's \\ Sons"), "'O\\'Brien\\'s \\\\ Sons'");
});

test('faults in both envelopes, and the two throttles', () => {
  const upper = faultFromBody({ Fault: { Error: [{ code: '6240', Message: 'Duplicate Name Exists Error', Detail: 'The name supplied already exists.' }] } }, 400);
  assert.equal(upper.code, '6240');
  assert.equal(upper.describe(), 'Duplicate Name Exists Error: The name supplied already exists.');
  assert.equal(faultFromBody({ fault: { error: [{ code: '610', message: 'Object Not Found' }] } }, 400).code, '610');
  assert.equal(faultFromBody({ Customer: {} }, 200), null);
  assert.ok(isThrottle(429, ''));
  assert.ok(isThrottle(403, '<Error code="3001"><Message>message=ThrottleExceeded; errorCode=003001</Message></Error>'));
  assert.ok(!isThrottle(403, '<Error code="3100"/>'));
});

test('names over the limit fail with 2050 and are never cut', () => {
  assert.equal(checked('Name', '  Boiler  ', 100), 'Boiler');
  assert.throws(() => checked('Name', 'x'.repeat(101), 100), (e) => e.code === '2050' && /101 characters/.test(e.message));
  assert.throws(() => checked('DisplayName', 'A:B', 500, { name: true }), (e) => e.code === '2040');
  assert.throws(() => checked('DocNumber', '', 21), (e) => e.code === '2020');
});

test('webhook signatures and both notification formats', () => {
  const body = '{"eventNotifications":[{"realmId":"42","dataChangeEvent":{"entities":[{"name":"Customer","id":"7","operation":"Merge","lastUpdated":"2026-03-02T17:00:00Z","deletedId":"5"}]}}]}';
  const signature = crypto.createHmac('sha256', 'verifier').update(body).digest('base64');
  assert.ok(verifySignature('verifier', body, signature));
  assert.ok(!verifySignature('other', body, signature));
  assert.ok(!verifySignature('verifier', body, ''));
  assert.deepEqual(events(JSON.parse(body)), [{ realm: '42', name: 'Customer', id: '7', operation: 'Merge', lastUpdated: '2026-03-02T17:00:00Z', deletedId: '5' }]);
  const cloud = [{ type: 'qbo.invoice.updated.v1', intuitaccountid: '42', intuitentityid: '9', time: 't' }];
  assert.deepEqual(events(cloud), [{ realm: '42', name: 'Invoice', id: '9', operation: 'updated', lastUpdated: 't', deletedId: '' }]);
});
