'use strict';
/**
 * QBO -> field service (inbound.py): webhook notifications checked (intuit-signature),
 * de-duplicated and queued (a Merge relinks at once); each pass first reads every queued
 * entity; change data capture every 15 minutes catches lost notifications, and past CDC's
 * 30-day look-back every linked invoice and customer is read instead.
 */
const crypto = require('node:crypto');
const mapping = require('./mapping');
const { QboFault, Transient } = require('./client');
const { SYNCED } = require('./store');

const RECONCILE_SECONDS = 900;
const CDC_LOOKBACK_MS = 30 * 86400 * 1000;
const WATCHED = ['Invoice', 'Customer', 'Vendor', 'Item', 'Class'];

/** HMAC-SHA256 of the body keyed with the verifier, against the base64 header (constant time) */
function verifySignature(verifier, body, header) {
  const expected = Buffer.from(String(header || ''), 'base64');
  const actual = crypto.createHmac('sha256', verifier).update(Buffer.from(body, 'utf8')).digest();
  return expected.length === actual.length && crypto.timingSafeEqual(actual, expected);
}

/** legacy eventNotifications or a CloudEvents array, as legacy-shaped entries */
function events(doc) {
  const out = [];
  const s = (v) => (v === undefined || v === null ? '' : String(v));
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    for (const note of doc.eventNotifications || []) {
      for (const e of (note.dataChangeEvent || {}).entities || []) {
        out.push({ realm: s(note.realmId), name: s(e.name), id: s(e.id), operation: s(e.operation), lastUpdated: s(e.lastUpdated), deletedId: s(e.deletedId) });
      }
    }
    return out;
  }
  for (const e of Array.isArray(doc) ? doc : []) {
    const parts = s(e.type).split('.'); // qbo.<entity>.<verb>.v1
    if (parts.length < 3) continue;
    const name = parts[1].charAt(0).toUpperCase() + parts[1].slice(1).toLowerCase();
    out.push({ realm: s(e.intuitaccountid), name, id: s(e.intuitentityid), operation: parts[2], lastUpdated: s(e.time), deletedId: s((e.data || {}).deletedid) });
  }
  return out;
}

class Inbound {
  constructor(store, client, connection) {
    this.store = store;
    this.client = client;
    this.conn = connection;
    this.queue = new Map();
    this.seen = new Set();
    this.checkpoint = connection.connectedAt; // ISO text of the simulated clock
  }

  receive(headers, body) {
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const verifier = this.conn.webhookVerifier;
    if (!verifier || !verifySignature(verifier, body, lower['intuit-signature'])) return; // not Intuit's
    for (const event of events(JSON.parse(body))) {
      if (event.realm !== '' && event.realm !== String(this.conn.realmId)) continue; // another company's
      const mark = [event.name, event.id, event.operation, event.lastUpdated].join('\u0000');
      if (this.seen.has(mark)) continue; // re-delivered
      this.seen.add(mark);
      if (event.operation.toLowerCase().startsWith('merge') && event.deletedId) this.merged(event.name, event.deletedId, event.id);
      if (WATCHED.includes(event.name)) this.queue.set(`${event.name}\u0000${event.id}`, [event.name, event.id]);
    }
  }

  merged(entity, gone, survivor) {
    for (const record of this.store.inSyncOrder()) {
      if (mapping.ENTITY[record.kind] === entity && record.qboId === gone) {
        record.qboId = survivor;
        record.syncToken = null;
      }
      if (entity === 'Customer' && record.extra.customer_ref === gone) record.extra.customer_ref = survivor;
    }
  }

  async run() {
    const queued = [...this.queue.entries()];
    this.queue = new Map();
    for (let index = 0; index < queued.length; index += 1) {
      const [entity, id] = queued[index][1];
      try {
        await this.read(entity, id);
      } catch (exc) {
        if (exc instanceof Transient) {
          for (const [mark, item] of queued.slice(index)) this.queue.set(mark, item);
          return;
        }
        if (!(exc instanceof QboFault)) throw exc;
      }
    }
    if (await this.cdcDue()) {
      try {
        await this.cdc();
      } catch (exc) {
        if (!(exc instanceof QboFault)) throw exc;
      }
    }
  }

  ours(entity, id) {
    return this.store.inSyncOrder().filter((r) => mapping.ENTITY[r.kind] === entity && r.qboId === id);
  }

  async read(entity, id) {
    if (!this.ours(entity, id).length) return;
    let current;
    try {
      current = await this.client.read(entity, id);
    } catch (exc) {
      if (exc instanceof QboFault) {
        if (exc.code === '610') this.learn(entity, { Id: id, status: 'Deleted' });
        return;
      }
      throw exc;
    }
    this.learn(entity, current);
  }

  learn(entity, current) {
    for (const record of this.ours(entity, String(current.Id))) {
      record.extra.inbound = record.extra.inbound || {};
      const seen = record.extra.inbound;
      if (current.status === 'Deleted') {
        if (mapping.TRANSACTIONS.includes(record.kind)) seen.deleted = true;
        continue;
      }
      if (record.kind === 'invoice') {
        seen.balance = Number(current.Balance ?? 0);
        seen.deleted = false;
      } else if (record.kind in mapping.NAME_LIMIT) {
        seen.name = current.DisplayName || current.Name;
        seen.active = Boolean(current.Active ?? true);
      }
    }
  }

  async cdcDue() {
    await this.conn.now();
    if (Date.parse(this.conn.lastNow) - Date.parse(this.checkpoint) < RECONCILE_SECONDS * 1000) return false;
    return this.store.inSyncOrder().some((r) => r.kind === 'invoice' && r.qboId);
  }

  async cdc() {
    await this.conn.now();
    const started = this.conn.lastNow;
    const since = this.checkpoint;
    if (Date.parse(started) - Date.parse(since) >= CDC_LOOKBACK_MS) {
      await this.readAll(started);
      return;
    }
    let body;
    try {
      body = await this.client.call('GET', 'cdc', { params: { entities: 'Invoice,Customer', changedSince: since } });
    } catch (exc) {
      if (exc instanceof Transient) return;
      if (exc instanceof QboFault && exc.code === '6000') {
        await this.readAll(started);
        return;
      }
      throw exc;
    }
    for (const response of body.CDCResponse || []) {
      for (const part of response.QueryResponse || []) {
        for (const [entity, rows] of Object.entries(part)) {
          if (WATCHED.includes(entity) && Array.isArray(rows)) for (const row of rows) this.learn(entity, row);
        }
      }
    }
    this.checkpoint = started;
  }

  async readAll(started) {
    for (const record of this.store.inSyncOrder()) {
      if (record.qboId && record.state === SYNCED && (record.kind === 'invoice' || record.kind === 'customer')) {
        try {
          await this.read(mapping.ENTITY[record.kind], record.qboId);
        } catch (exc) {
          if (exc instanceof Transient) return;
          throw exc;
        }
      }
    }
    this.checkpoint = started;
  }

  static view(record) {
    return { ...(record.extra.inbound || {}) };
  }
}

module.exports = { Inbound, verifySignature, events };
