'use strict';
/**
 * Job paperwork (paperwork.py): files on invoices, uploaded once after the invoice (look-up
 * before every upload, a Fault inside the 200 answer surfaced), and invoices e-mailed once
 * on the operator's send (EmailStatus / DeliveryInfo checked after a send without an answer).
 */
const { QboFault, Transient, quote } = require('./client');
const { checked, truthy, present } = require('./mapping');

const ENTITY = 'Attachable';
const SEND = 'send';
const SEND_UNKNOWN = 'send_unknown';
const FILE_NAME_MAX = 1000;
const NOTE_MAX = 2000;

function fileBytes(data) {
  if (present(data.content_base64)) {
    const text = String(data.content_base64);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
      throw new QboFault('FILE', 'content_base64 is not valid base64 (not sent)');
    }
    return Buffer.from(text, 'base64');
  }
  return Buffer.from(String(truthy(data.content) ? data.content : ''), 'utf8');
}

function emailState(invoice) {
  return { status: invoice.EmailStatus ?? null, time: (invoice.DeliveryInfo || {}).DeliveryTime ?? null };
}

class Paperwork {
  constructor(store, client) {
    this.store = store;
    this.client = client;
  }

  invoiceId(record) {
    return this.store.require('invoice', record.data.invoice).qboId;
  }

  async pushAttachment(record) {
    if (record.deleted) return this.remove(record);
    if (record.qboId) return undefined; // uploaded already
    const invoiceId = this.invoiceId(record);
    let found = await this.findAttachment(record, invoiceId);
    if (found === null) found = await this.upload(record, invoiceId);
    record.qboId = String(found.Id);
    record.syncToken = String(found.SyncToken ?? '0');
    return undefined;
  }

  fileName(record) { return checked('FileName', record.data.file_name, FILE_NAME_MAX); }

  async findAttachment(record, invoiceId) {
    const rows = await this.client.query(
      ENTITY,
      `AttachableRef.EntityRef.Type = 'Invoice' AND AttachableRef.EntityRef.value = ${quote(invoiceId)}`,
    );
    const name = this.fileName(record);
    return rows.find((row) => row.FileName === name) || null;
  }

  metadata(record, invoiceId) {
    const d = record.data;
    const body = {
      AttachableRef: [{ EntityRef: { type: 'Invoice', value: invoiceId }, IncludeOnSend: Boolean(d.include_on_send) }],
      FileName: this.fileName(record),
      ContentType: d.content_type,
    };
    if (truthy(d.note)) body.Note = checked('Note', d.note, NOTE_MAX);
    if (truthy(d.category)) body.Category = d.category;
    return body;
  }

  async upload(record, invoiceId) {
    const metadata = this.metadata(record, invoiceId);
    const data = fileBytes(record.data);
    return this.client.upload(metadata, metadata.FileName, metadata.ContentType, data);
  }

  async remove(record) {
    if (record.qboId === null) return;
    try {
      await this.client.write(ENTITY, { Id: record.qboId }, record.newRequestid(), 'delete');
    } catch (exc) {
      if (!(exc instanceof QboFault) || exc.code !== '610') throw exc;
    }
    record.qboId = null;
    record.syncToken = null;
  }

  static asked(record) {
    return record.kind === 'invoice' && SEND in record.extra && !record.deleted;
  }

  async sendIfAsked(record) {
    if (!Paperwork.asked(record)) return;
    const current = await this.alreadySent(record);
    if (current !== null) {
      this.sent(record, current);
      return;
    }
    if (!(SEND_UNKNOWN in record.extra)) {
      const before = await this.client.read('Invoice', record.qboId);
      record.extra[SEND_UNKNOWN] = emailState(before);
    }
    let answer;
    try {
      answer = await this.client.send('Invoice', record.qboId, record.extra[SEND].to);
    } catch (exc) {
      if (exc instanceof QboFault) delete record.extra[SEND_UNKNOWN]; // refused: nothing went out
      throw exc; // Transient: it may be out; the next try checks before sending
    }
    this.sent(record, answer);
  }

  async alreadySent(record) {
    const before = record.extra[SEND_UNKNOWN];
    if (before === undefined) return null;
    const current = await this.client.read('Invoice', record.qboId);
    const now = emailState(current);
    if (now.status === 'EmailSent' && (now.status !== before.status || now.time !== before.time)) return current;
    return null;
  }

  sent(record, invoice) {
    delete record.extra[SEND];
    delete record.extra[SEND_UNKNOWN];
    if (present(invoice.SyncToken)) record.syncToken = String(invoice.SyncToken);
  }
}

module.exports = { Paperwork, SEND, SEND_UNKNOWN, Transient };
