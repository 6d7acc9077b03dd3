'use strict';
/**
 * One sync pass (engine.py): dependencies first; look up before create; updates with the
 * SyncToken of our last write (sparse for Customer and Invoice: only what changed here), a
 * 5010 re-read once; deletes; transient failures stay pending with their requestid.
 */
const mapping = require('./mapping');
const { ConnectorError, QboFault, Transient, quote } = require('./client');
const { Paperwork } = require('./paperwork');
const { DEPENDENCY, FAILED, MAPPING, PENDING, SYNCED } = require('./store');

const SPARSE_UPDATE = ['Customer', 'Invoice'];
const SENT = 'sent';
const { truthy, round2 } = mapping;

class Blocked extends ConnectorError {
  constructor(message, waiting) {
    super(message);
    this.waiting = waiting;
  }
}

function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
}

class SyncEngine {
  constructor(store, client) {
    this.store = store;
    this.client = client;
    this.accounts = new Map();
    this.sparseUpdate = SPARSE_UPDATE;
    this.paperwork = new Paperwork(store, client);
  }

  async runPass() {
    this.accounts.clear(); // the GL mapping may have been fixed in QBO since
    for (const record of this.store.inSyncOrder()) {
      if (SyncEngine.due(record)) await this.syncRecord(record);
    }
  }

  static due(record) {
    if (record.kind === 'payment' && record.data.posted === false && !record.deleted) return false; // article §7
    if (record.state === PENDING) return true;
    return record.state === FAILED && record.errorCode === DEPENDENCY;
  }

  async syncRecord(record) {
    try {
      this.checkDependencies(record);
    } catch (exc) {
      if (!(exc instanceof Blocked)) throw exc;
      if (exc.waiting) record.noteTransient(DEPENDENCY, exc.message);
      else record.markFailed(DEPENDENCY, exc.message);
      return;
    }
    record.attempts += 1;
    try {
      await this.push(record);
      await this.paperwork.sendIfAsked(record);
    } catch (exc) {
      if (exc instanceof Transient) {
        record.noteTransient(exc.code, exc.text);
        return;
      }
      if (exc instanceof QboFault) {
        record.markFailed(exc.code, exc.describe());
        return;
      }
      throw exc;
    }
    record.markSynced();
  }

  dependencies(record) {
    const d = record.data;
    if (record.deleted) return [];
    if (record.kind === 'property') return [['customer', d.customer]];
    if (record.kind === 'attachment') return [['invoice', d.invoice]];
    if (record.kind === 'invoice') {
      const deps = [mapping.invoiceParty(d)];
      for (const line of truthy(d.lines) ? d.lines : []) {
        deps.push(['item', line.item]);
        if (truthy(line.class)) deps.push(['class', line.class]);
      }
      if (truthy(d.class)) deps.push(['class', d.class]);
      return deps;
    }
    if (record.kind === 'payment') {
      const invoice = this.store.get('invoice', d.invoice);
      return [['invoice', d.invoice], ...(invoice ? [mapping.invoiceParty(invoice.data)] : [])];
    }
    if (record.kind === 'receipt') {
      const deps = [['vendor', d.vendor]];
      for (const line of truthy(d.lines) ? d.lines : []) if (truthy(line.item)) deps.push(['item', line.item]);
      return deps;
    }
    return [];
  }

  checkDependencies(record) {
    const seen = new Set();
    for (const [kind, key] of this.dependencies(record)) {
      if (seen.has(`${kind}\u0000${key}`)) continue;
      seen.add(`${kind}\u0000${key}`);
      const other = this.store.get(kind, key);
      if (other === null) throw new Blocked(`${kind} ${key} was never sent by the field-service system`, false);
      if (other.qboId && (other.state === SYNCED || other.state === 'bypassed')) continue;
      if (other.state === PENDING) throw new Blocked(`waiting for ${kind} ${key} to reach QuickBooks`, true);
      const why = other.errorCode ? `${other.errorCode}: ${other.errorMessage}` : other.state;
      throw new Blocked(`${kind} ${key} is not in QuickBooks (${why}); fix it first`, false);
    }
  }

  ref(kind, key) {
    return { value: this.store.require(kind, key).qboId };
  }

  /** a GL account by name (the bookkeeper's chart of accounts; never created here) */
  async account(name) {
    const trimmed = String(name).trim();
    if (!this.accounts.has(trimmed)) {
      const rows = await this.client.query('Account', `Name = ${quote(trimmed)}`);
      const active = rows.filter((r) => r.Active ?? true);
      if (!active.length) {
        throw new QboFault(MAPPING, `GL account '${trimmed}' is not an active account in QuickBooks: map the item to the account QuickBooks uses (article §5), then retry`);
      }
      this.accounts.set(trimmed, String(active[0].Id));
    }
    return { value: this.accounts.get(trimmed) };
  }

  /** a QBO tax code by name (the bookkeeper's; an inactive one is sent all the same: QBO's
   * answer says it is inactive) */
  async taxCode(name) {
    const rows = await this.client.query('TaxCode', `Name = ${quote(String(name).trim())} AND Active IN (true, false)`);
    if (!rows.length) {
      throw new QboFault(MAPPING, `Tax code '${name}' is not in QuickBooks: map the invoice's tax to a code QuickBooks has, then retry`);
    }
    return { value: String(rows[0].Id) };
  }

  /** an invoice whose QBO total is not the field app's fails with both totals (its payments wait) */
  static checkTotal(record, written) {
    const expected = record.kind === 'invoice' ? record.data.total : undefined;
    if (expected === undefined || expected === null || !written) return;
    const qboTotal = Number(written.TotalAmt || 0);
    if (Math.abs(qboTotal - Number(expected)) < 0.005) return;
    const tax = Number((written.TxnTaxDetail || {}).TotalTax || 0);
    throw new QboFault(
      'TOTAL_MISMATCH',
      `Invoice ${written.DocNumber} totals ${qboTotal.toFixed(2)} in QuickBooks (tax ${tax.toFixed(2)}) but ${Number(expected).toFixed(2)} here: QuickBooks computed the tax differently. Correct the invoice or its tax here (or the tax code in QuickBooks), then retry; its payments wait.`,
    );
  }

  async push(record) {
    const entity = mapping.ENTITY[record.kind];
    if (record.kind === 'attachment') {
      await this.paperwork.pushAttachment(record);
      return;
    }
    if (record.deleted) {
      await this.pushDelete(record, entity);
      return;
    }
    const body = await mapping.buildBody(
      record,
      (kind, key) => this.ref(kind, key),
      (name) => this.account(name),
      (key) => this.store.require('invoice', key).data,
      (name) => this.taxCode(name),
    );
    if (record.qboId) {
      SyncEngine.checkTotal(record, await this.update(record, entity, body));
      return;
    }
    const found = await this.findExisting(record, body);
    if (found !== null) {
      this.remember(record, found); // linked: our last write is unknown
      SyncEngine.checkTotal(record, found);
      return;
    }
    const created = await this.client.write(entity, body, record.newRequestid());
    this.remember(record, created, body);
    SyncEngine.checkTotal(record, created);
  }

  remember(record, written, sent = null) {
    record.qboId = String(written.Id);
    record.syncToken = String(written.SyncToken);
    record.extra.customer_ref = (written.CustomerRef || {}).value ?? null;
    record.extra[SENT] = sent;
    record.requestid = null;
  }

  changes(record, entity, body) {
    const sent = record.extra[SENT];
    if (!this.sparseUpdate.includes(entity) || !truthy(sent)) return { ...body };
    return Object.fromEntries(Object.entries(body).filter(([k, v]) => !deepEqual(sent[k], v)));
  }

  async update(record, entity, body) {
    if (record.syncToken === null) record.syncToken = String((await this.client.read(entity, record.qboId)).SyncToken);
    const sent = { ...(record.extra[SENT] || {}), ...body };
    const changes = this.changes(record, entity, body);
    if (!Object.keys(changes).length && this.sparseUpdate.includes(entity) && Paperwork.asked(record)) return null;
    const update = { ...changes, Id: record.qboId, SyncToken: record.syncToken };
    if (this.sparseUpdate.includes(entity)) update.sparse = true;
    let written;
    try {
      written = await this.client.write(entity, update, record.newRequestid());
    } catch (exc) {
      if (!(exc instanceof QboFault) || exc.code !== '5010') throw exc;
      record.requestid = null; // 5010 is definitive: the retry is a new write
      const current = await this.client.read(entity, record.qboId);
      SyncEngine.refuseIfMoved(record, current, body);
      record.syncToken = String(current.SyncToken);
      update.SyncToken = record.syncToken;
      written = await this.client.write(entity, update, record.newRequestid());
    }
    this.remember(record, written, sent);
    return written;
  }

  static refuseIfMoved(record, current, body) {
    if (record.kind !== 'invoice') return;
    const ours = record.extra.customer_ref;
    const now = (current.CustomerRef || {}).value;
    if (ours && now && now !== ours && now !== body.CustomerRef.value) {
      throw new QboFault(
        'MOVED_IN_QBO',
        `Invoice ${current.DocNumber} was moved in QuickBooks to customer id ${now}; here it belongs to customer id ${body.CustomerRef.value}. Move it back in QuickBooks (article §1) or correct the customer here, then retry.`,
      );
    }
  }

  async pushDelete(record, entity) {
    if (record.qboId === null) return;
    let current;
    try {
      current = await this.client.read(entity, record.qboId);
    } catch (exc) {
      if (exc instanceof QboFault && exc.code === '610') {
        record.qboId = null;
        record.syncToken = null;
        return;
      }
      throw exc;
    }
    if (mapping.TRANSACTIONS.includes(record.kind)) {
      await this.client.write(entity, { Id: record.qboId, SyncToken: current.SyncToken }, record.newRequestid(), 'delete');
      record.qboId = null;
      record.syncToken = null;
      return;
    }
    const written = await this.client.write(
      entity,
      { Id: record.qboId, SyncToken: current.SyncToken, sparse: true, Active: false },
      record.newRequestid(),
    );
    this.remember(record, written);
  }

  async findExisting(record, body) {
    const kind = record.kind;
    const entity = mapping.ENTITY[kind];
    if (kind === 'payment') return this.findPayment(record, body);
    const [field, value] = mapping.identity(record);
    const rows = await this.client.query(entity, `${field} = ${quote(value)}`);
    return rows.find((row) => SyncEngine.isOurs(kind, row, body)) || null;
  }

  static isOurs(kind, row, body) {
    const ref = (data, name) => (data[name] || {}).value;
    if (kind === 'customer') return !row.Job;
    if (kind === 'property') return Boolean(row.Job) && ref(row, 'ParentRef') === ref(body, 'ParentRef');
    if (kind === 'invoice') return ref(row, 'CustomerRef') === ref(body, 'CustomerRef');
    if (kind === 'receipt') {
      return ref(row, 'VendorRef') === ref(body, 'VendorRef') && round2(row.TotalAmt ?? 0) === mapping.total(body);
    }
    return true;
  }

  /** among the invoice's linked payments: our reference and amount, not another record's */
  async findPayment(record, body) {
    const number = body.PaymentRefNum;
    if (!number) return null;
    const ours = new Set(
      this.store.inSyncOrder().filter((o) => o.kind === 'payment' && o !== record && o.qboId).map((o) => o.qboId),
    );
    const invoiceId = body.Line[0].LinkedTxn[0].TxnId;
    const invoice = await this.client.read('Invoice', invoiceId);
    for (const link of invoice.LinkedTxn || []) {
      if (link.TxnType !== 'Payment' || ours.has(String(link.TxnId))) continue;
      const payment = await this.client.read('Payment', String(link.TxnId));
      if (payment.PaymentRefNum === number && round2(payment.TotalAmt ?? 0) === round2(body.TotalAmt)) return payment;
    }
    return null;
  }
}

module.exports = { SyncEngine, Blocked, SPARSE_UPDATE, SENT };
