'use strict';
/**
 * A small QBO Accounting API v3 client on node:http(s) with keep-alive agents (client.py):
 * bearer auth, one refresh on 401 (rotated refresh token kept), throttles (429, legacy 403
 * 3001) wait 60 s, 5xx and dropped connections 1/2/4 s, always on the simulated clock;
 * requestid on writes; both fault envelopes. (Not fetch: its streams and Response objects
 * cost twice node:http per request, measured against the harness's loopback server.)
 */
const http = require('node:http');
const https = require('node:https');

const AGENTS = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/**
 * One HTTP exchange: {status, text}. `body` is a string, a Buffer or a FormData (encoded as
 * multipart/form-data, its boundary in Content-Type). Rejects when no answer arrives (a
 * dropped connection, a refused one, `timeoutMs` of silence).
 */
async function exchange(url, { method = 'GET', headers = {}, body = null, timeoutMs = 60000 } = {}) {
  const target = url instanceof URL ? url : new URL(url);
  const sent = { ...headers };
  let payload = body;
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    const encoded = new Response(body);
    sent['Content-Type'] = encoded.headers.get('content-type');
    payload = Buffer.from(await encoded.arrayBuffer());
  }
  if (payload !== null && payload !== undefined) sent['Content-Length'] = Buffer.byteLength(payload);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(target, { method, headers: sent, agent: AGENTS[target.protocol] }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(payload ?? undefined);
  });
}

const MINOR_VERSION = '75';
const THROTTLE_WAIT_SECONDS = 60;
const BACKOFF_SECONDS = [1, 2, 4];
const TIMEOUT_MS = 60000;
const PAGE_SIZE = 1000;
const LEGACY_THROTTLE_MARKS = ['code="3001"', 'errorCode=003001', 'ThrottleExceeded'];

class ConnectorError extends Error {}

/** a definitive answer from QBO (or the connector's own checks): no retry */
class QboFault extends ConnectorError {
  constructor(code, message, detail = '', element = '') {
    super(detail && detail !== message ? `${message}: ${detail}` : message);
    this.name = 'QboFault';
    this.code = String(code);
    this.qboMessage = message;
    this.detail = detail;
    this.element = element;
  }

  describe() { return this.message; }
}

/** no usable answer after the retries: try again later */
class Transient extends ConnectorError {
  constructor(code, message) {
    super(`${code}: ${message}`);
    this.name = 'Transient';
    this.code = String(code);
    this.text = message;
  }
}

/** a QBO query string literal: backslash and apostrophe escaped with \ (§4.4) */
function quote(value) {
  return "'" + String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

function isThrottle(status, text) {
  if (status === 429) return true;
  if (status !== 403) return false;
  return LEGACY_THROTTLE_MARKS.some((mark) => (text || '').includes(mark));
}

/** the first error of a body's Fault (or fault); null if none */
function faultFromBody(body, status) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const fault = body.Fault || body.fault;
  if (!fault) return null;
  const errors = fault.Error || fault.error || [{}];
  const first = errors[0] || {};
  return new QboFault(
    String(first.code || status),
    String(first.Message || first.message || ''),
    String(first.Detail || first.detail || ''),
    String(first.element || ''),
  );
}

function parseFault(status, text) {
  let body;
  try { body = JSON.parse(text); } catch { return null; }
  return faultFromBody(body, status);
}

class QboClient {
  constructor(connection) {
    this.conn = connection;
    this.accessToken = connection.accessToken;
    this.refreshToken = connection.refreshToken;
    this.refreshes = 0;
    this.throttleRetries = BACKOFF_SECONDS.length;
  }

  /** every matching row, page by page (QBO answers 100 unless asked, at most 1000) */
  async query(entity, where = null) {
    const text = `SELECT * FROM ${entity}` + (where ? ` WHERE ${where}` : '');
    const rows = [];
    for (;;) {
      const paged = `${text} STARTPOSITION ${rows.length + 1} MAXRESULTS ${PAGE_SIZE}`;
      const body = await this.call('GET', 'query', { params: { query: paged } });
      const page = (body.QueryResponse || {})[entity] || [];
      rows.push(...page);
      if (page.length < PAGE_SIZE) return rows;
    }
  }

  async read(entity, id) {
    return (await this.call('GET', `${entity.toLowerCase()}/${id}`))[entity];
  }

  /** create (no Id), update (Id + SyncToken) or operation=delete */
  async write(entity, body, requestid, operation = null) {
    const params = { requestid };
    if (operation) params.operation = operation;
    return (await this.call('POST', entity.toLowerCase(), { params, body }))[entity];
  }

  /** POST /upload of one file; a Fault inside the 200 answer is raised; never retried blindly */
  async upload(metadata, fileName, contentType, data) {
    const form = new FormData();
    if (metadata !== null) {
      form.append('file_metadata_01', new Blob([JSON.stringify(metadata)], { type: 'application/json' }));
    }
    form.append('file_content_01', new Blob([data], { type: contentType }), fileName);
    const body = await this.call('POST', 'upload', { form, retryUnanswered: false });
    const items = body.AttachableResponse || [{}];
    const item = items[0] && typeof items[0] === 'object' ? items[0] : {};
    const fault = faultFromBody(item, 200);
    if (fault !== null) throw fault;
    if (!('Attachable' in item)) {
      throw new QboFault('UPLOAD', `QuickBooks stored no Attachable: ${JSON.stringify(body).slice(0, 200)}`);
    }
    return item.Attachable;
  }

  /** POST /<entity>/<id>/send[?sendTo=]; not retried after an error without an answer */
  async send(entity, id, sendTo = null) {
    const params = sendTo ? { sendTo } : null;
    return (await this.call('POST', `${entity.toLowerCase()}/${id}/send`, { params, retryUnanswered: false }))[entity];
  }

  async call(method, path, { params = null, body = null, form = null, retryUnanswered = true } = {}) {
    const url = new URL(this.conn.companyUrl(path));
    const query = { minorversion: MINOR_VERSION, ...(params || {}) };
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    let refreshed = false;
    const waits = retryUnanswered ? [...BACKOFF_SECONDS] : [];
    let throttled = 0;
    for (;;) {
      const headers = { Authorization: `Bearer ${this.accessToken}`, Accept: 'application/json' };
      let payload;
      if (form !== null) payload = form;
      else if (method !== 'GET') {
        headers['Content-Type'] = 'application/json';
        payload = JSON.stringify(body);
      }
      let status;
      let text;
      try {
        ({ status, text } = await exchange(url, { method, headers, body: payload, timeoutMs: TIMEOUT_MS }));
      } catch (exc) {
        if (!waits.length) throw new Transient('NO_ANSWER', `no answer from QuickBooks: ${exc.message}`);
        await this.conn.sleep(waits.shift());
        continue;
      }
      if (status === 401 && !refreshed && this.refreshToken) {
        refreshed = true;
        await this.refresh();
        continue;
      }
      if (isThrottle(status, text)) {
        throttled += 1;
        if (throttled > this.throttleRetries) throw new Transient('429', `QuickBooks throttled every retry (HTTP ${status})`);
        await this.conn.sleep(THROTTLE_WAIT_SECONDS);
        continue;
      }
      if (status >= 500) {
        if (!waits.length) {
          const fault = parseFault(status, text);
          throw new Transient(String(status), fault ? fault.describe() : `QuickBooks answered HTTP ${status}`);
        }
        await this.conn.sleep(waits.shift());
        continue;
      }
      const fault = parseFault(status, text);
      if (fault !== null) throw fault; // 4xx, and the legacy 200-with-Fault
      if (status >= 400) throw new QboFault(String(status), `QuickBooks answered HTTP ${status}`);
      return JSON.parse(text);
    }
  }

  /** exchange the refresh token; keep the new one */
  async refresh() {
    const basic = Buffer.from(`${this.conn.clientId || ''}:${this.conn.clientSecret || ''}`).toString('base64');
    let status;
    let body = {};
    try {
      const answer = await exchange(this.conn.oauthTokenUrl, {
        method: 'POST',
        headers: { Authorization: `Basic ${basic}`, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.refreshToken }).toString(),
        timeoutMs: TIMEOUT_MS,
      });
      status = answer.status;
      try { body = JSON.parse(answer.text); } catch { body = {}; }
    } catch (exc) {
      throw new Transient('NO_ANSWER', `no answer from the token endpoint: ${exc.message}`);
    }
    if (status !== 200 || !('access_token' in body)) {
      const error = body.error_description || body.error || status;
      throw new QboFault('AUTH', `Reconnect to QuickBooks: the token refresh was refused (${error})`);
    }
    this.accessToken = body.access_token;
    this.refreshToken = body.refresh_token ?? this.refreshToken;
    this.conn.accessToken = this.accessToken;
    this.conn.refreshToken = this.refreshToken;
    this.refreshes += 1;
  }
}

module.exports = { ConnectorError, QboFault, Transient, QboClient, quote, faultFromBody, isThrottle, exchange, PAGE_SIZE };
