'use strict';
/** The connector's local record store: field-service records and their sync state (store.py). */
const crypto = require('node:crypto');

const PENDING = 'pending';
const SYNCED = 'synced';
const FAILED = 'failed';
const BYPASSED = 'bypassed';
/** Sync order: a record is pushed only after the records it references. */
const SYNC_ORDER = ['class', 'vendor', 'customer', 'property', 'item', 'invoice', 'receipt', 'payment', 'attachment'];
const DEPENDENCY = 'DEPENDENCY';
const MAPPING = 'MAPPING';
const AUTH = 'AUTH';

class SyncRecord {
  constructor(kind, key, data) {
    this.kind = kind;
    this.key = key;
    this.data = data;
    this.deleted = false;
    this.state = PENDING;
    this.qboId = null;
    this.syncToken = null;
    this.errorCode = null;
    this.errorMessage = null;
    this.attempts = 0;
    /** the requestid of the write in flight: kept after an ambiguous failure, dropped after a definitive answer */
    this.requestid = null;
    this.extra = {};
  }

  get label() { return `${this.kind} ${this.key}`; }

  newRequestid() {
    if (this.requestid === null) {
      this.requestid = `fs-${this.kind}-${crypto.randomUUID().replace(/-/g, '')}`.slice(0, 50);
    }
    return this.requestid;
  }

  markPending() { this.state = PENDING; this.errorCode = null; this.errorMessage = null; this.requestid = null; }

  markSynced() { this.state = SYNCED; this.errorCode = null; this.errorMessage = null; this.requestid = null; }

  markFailed(code, message) { this.state = FAILED; this.errorCode = code; this.errorMessage = message; this.requestid = null; }

  /** no usable answer: stay pending, keep the requestid, show why */
  noteTransient(code, message) { this.state = PENDING; this.errorCode = code; this.errorMessage = message; }

  status() {
    const error = this.errorCode || this.errorMessage ? { code: this.errorCode, message: this.errorMessage } : null;
    return { state: this.state, qbo_id: this.qboId, error, attempts: this.attempts };
  }
}

class RecordStore {
  constructor() { this.records = new Map(); }

  get(kind, key) { return this.records.get(`${kind}\u0000${key}`) || null; }

  require(kind, key) {
    const record = this.get(kind, key);
    if (record === null) throw new Error(`no ${kind} record '${key}'`);
    return record;
  }

  /** created or changed; a record re-created under the same key keeps its RefID (article §6) */
  upsert(kind, key, data) {
    let record = this.get(kind, key);
    if (record === null) {
      record = new SyncRecord(kind, key, { ...data });
      this.records.set(`${kind}\u0000${key}`, record);
    } else {
      record.data = { ...data };
      record.deleted = false;
    }
    if (record.state !== BYPASSED) record.markPending();
    return record;
  }

  delete(kind, key) {
    const record = this.get(kind, key);
    if (record === null) return null;
    record.deleted = true;
    if (record.state !== BYPASSED) record.markPending();
    return record;
  }

  inSyncOrder() {
    const all = [...this.records.values()];
    return SYNC_ORDER.flatMap((kind) => all.filter((r) => r.kind === kind));
  }
}

module.exports = { PENDING, SYNCED, FAILED, BYPASSED, SYNC_ORDER, DEPENDENCY, MAPPING, AUTH, SyncRecord, RecordStore };
