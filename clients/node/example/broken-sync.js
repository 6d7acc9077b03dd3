'use strict';
/**
 * A broken variant of the Node example, for the harness to fail: it swallows QBO's faults
 * (a refused write is reported "synced", with no QBO id and no error), the bug the Python
 * mutant error_swallowed has (tests/connectors/mutants/). The harness must fail it, e.g. on
 * sync/name_taken_by_a_vendor and article/invoice_deleted_in_qbo.
 *   qbo-sim scenarios run --library --integration "cmd:node clients/node/example/broken-sync.js"
 */
const { serve } = require('../lib/protocol');
const { QboFault } = require('./fieldservice-sync/client');
const { SyncEngine } = require('./fieldservice-sync/engine');
const { FieldServiceSync } = require('./fieldservice-sync');

class SwallowingEngine extends SyncEngine {
  async push(record) {
    try {
      await super.push(record);
    } catch (exc) {
      if (!(exc instanceof QboFault)) throw exc;
      // the bug: the fault is logged and the record taken for synced
      console.error(`ignored QBO fault ${exc.code} for ${record.label}`);
    }
  }
}

class BrokenSync extends FieldServiceSync {
  constructor() {
    super();
    this.name = 'fieldservice-sync-node-broken';
  }

  makeEngine(store, client) { return new SwallowingEngine(store, client); }
}

module.exports = { BrokenSync };

if (require.main === module) serve(() => new BrokenSync());
