'use strict';
/** Operator actions (operator.py): bypass, reset_ref, retry, post_payment, edit, send. */
const { BYPASSED, PENDING } = require('./store');
const { SEND } = require('./paperwork');

const ACTIONS = ['bypass', 'reset_ref', 'retry', 'post_payment', 'edit', 'send'];

function operate(record, action, params = {}) {
  if (!ACTIONS.includes(action)) throw new Error(`unknown operator action '${action}'; expected one of ${ACTIONS.join(', ')}`);
  if (action === 'bypass') {
    record.state = BYPASSED;
    record.errorCode = null;
    record.errorMessage = null;
    record.requestid = null;
    return;
  }
  if (action === 'reset_ref') {
    record.qboId = null;
    record.syncToken = null;
    delete record.extra.customer_ref;
  } else if (action === 'post_payment') {
    record.data.posted = true;
  } else if (action === 'edit') {
    Object.assign(record.data, params.fields || {});
  } else if (action === 'send') {
    if (record.kind !== 'invoice') throw new Error(`only invoices are e-mailed, not a ${record.kind}`);
    record.extra[SEND] = { to: params.to ?? null };
  }
  if ((action === 'retry' || action === 'send') && record.state === PENDING) return; // keep the requestid
  record.markPending();
}

module.exports = { operate, ACTIONS };
