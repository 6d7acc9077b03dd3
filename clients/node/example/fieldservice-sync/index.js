'use strict';
/**
 * The reference connector (qbo_sim/connectors/fieldservice_sync) ported to Node, on the
 * protocol helper:  qbo-sim scenarios run --library --integration "cmd:node clients/node/example/fieldservice-sync/index.js"
 * Modules as in Python: store, client, mapping, engine, paperwork, operator, inbound.
 */
const { serve } = require('../../lib/protocol');
const { QboClient } = require('./client');
const { SyncEngine } = require('./engine');
const { Inbound } = require('./inbound');
const { operate } = require('./operator');
const { RecordStore } = require('./store');

class FieldServiceSync {
  constructor() {
    this.name = 'fieldservice-sync-node';
    this.store = new RecordStore();
    this.client = null;
    this.engine = null;
    this.inboundSync = null;
    this.companies = null;
    this.connection = null;
  }

  /** the engine of this instance (a variant overrides it) */
  makeEngine(store, client) { return new SyncEngine(store, client); }

  connect(connection) {
    this.connection = connection;
    this.client = new QboClient(connection);
    this.engine = this.makeEngine(this.store, this.client);
    this.inboundSync = new Inbound(this.store, this.client, connection);
  }

  /** alias -> an instance of this class connected to that company (made once connected: the
   * harness may ask for a status before connect, after a reset) */
  otherCompanies() {
    if (!this.connection) return {};
    if (this.companies === null) {
      this.companies = {};
      for (const [alias, other] of Object.entries((this.connection && this.connection.companies) || {})) {
        const instance = new this.constructor();
        instance.connect(other);
        this.companies[alias] = instance;
      }
    }
    return this.companies;
  }

  owner(kind, key) {
    if (this.store.get(kind, String(key)) === null) {
      for (const other of Object.values(this.otherCompanies())) if (other.store.get(kind, String(key)) !== null) return other;
    }
    return this;
  }

  apply(change) {
    if (change.company !== undefined && change.company !== null) {
      const others = this.otherCompanies();
      if (!(change.company in others)) throw new Error(`record for unknown company '${change.company}'`);
      const { company, ...rest } = change;
      others[company].apply(rest);
      return;
    }
    const key = String(change.key);
    if ((change.action || 'upsert') === 'delete') this.store.delete(change.kind, key);
    else this.store.upsert(change.kind, key, change.data || {});
  }

  async sync() {
    if (this.engine === null) throw new Error('sync() before connect()');
    await this.inboundSync.run(); // QBO-side changes first (a merge relinks before we push)
    await this.engine.runPass();
    for (const other of Object.values(this.otherCompanies())) await other.sync();
  }

  receiveWebhook(headers, body) {
    if (this.inboundSync !== null) this.inboundSync.receive(headers, body);
    for (const other of Object.values(this.otherCompanies())) other.receiveWebhook(headers, body);
  }

  inbound(kind, key) {
    return Inbound.view(this.owner(kind, key).store.require(kind, String(key)));
  }

  status(kind, key) {
    return this.owner(kind, key).store.require(kind, String(key)).status();
  }

  operate(action, kind, key, params) {
    const owner = this.owner(kind, key);
    if (owner !== this) {
      owner.operate(action, kind, key, params);
      return;
    }
    operate(this.store.require(kind, String(key)), action, params);
  }
}

module.exports = { FieldServiceSync };

if (require.main === module) serve(() => new FieldServiceSync());
