#!/usr/bin/env node
/*
 * Contract test: node-quickbooks, unchanged, against a qbo-sim server over real HTTP.
 *
 * Only the library's module-level base URLs change (V3_ENDPOINT_BASE_URL, TOKEN_URL); axios is
 * not patched. Every call goes to the local server; nothing reaches the network.
 *
 *   node contract.js --base-url http://127.0.0.1:PORT --realm REALM \
 *     --access-token AT --refresh-token RT --client-id ID --client-secret SECRET
 *
 * (or QBO_SIM_BASE_URL, QBO_SIM_REALM, QBO_SIM_ACCESS_TOKEN, QBO_SIM_REFRESH_TOKEN,
 * QBO_SIM_CLIENT_ID, QBO_SIM_CLIENT_SECRET). Prints ONE JSON object on stdout: what the library
 * returned (or surfaced as an error) at each step. Exit code 0 when every step ran, even when a
 * step's answer was not the expected one: the Python test judges the answers.
 */
'use strict'

const QuickBooks = require('node-quickbooks')

const OPTIONS = {
  'base-url': 'QBO_SIM_BASE_URL',
  realm: 'QBO_SIM_REALM',
  'access-token': 'QBO_SIM_ACCESS_TOKEN',
  'refresh-token': 'QBO_SIM_REFRESH_TOKEN',
  'client-id': 'QBO_SIM_CLIENT_ID',
  'client-secret': 'QBO_SIM_CLIENT_SECRET'
}

function readOptions (argv, env) {
  const options = {}
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i])
    if (!match || !(match[1] in OPTIONS)) throw new Error('unknown argument: ' + argv[i])
    options[match[1]] = match[2] !== undefined ? match[2] : argv[++i]
  }
  for (const [name, variable] of Object.entries(OPTIONS)) {
    if (options[name] === undefined) options[name] = env[variable]
    if (!options[name]) throw new Error('missing --' + name + ' (or ' + variable + ')')
  }
  return options
}

/** A node-quickbooks callback method as a promise of {err, data, res}: errors are answers. */
function call (qbo, method, ...args) {
  return new Promise((resolve) => {
    qbo[method](...args, (err, data, res) => resolve({ err, data, res }))
  })
}

/** The Fault node-quickbooks surfaces: a 4xx answer rejects inside axios and the library hands
 * the AxiosError to the callback (body in err.response.data); a 200 answer carrying a Fault is
 * handed over as the body itself. */
function surfacedFault (err) {
  if (!err) return null
  const fromAxios = Boolean(err.response)
  const body = fromAxios ? err.response.data : err
  const fault = body && body.Fault
  if (!fault || !Array.isArray(fault.Error) || !fault.Error.length) {
    return { surfacedAs: fromAxios ? 'AxiosError' : 'body', status: statusOf(err), body }
  }
  const first = fault.Error[0]
  return {
    surfacedAs: fromAxios ? 'AxiosError' : 'body',
    status: statusOf(err),
    type: fault.type,
    code: first.code,
    Message: first.Message,
    Detail: first.Detail,
    element: first.element
  }
}

function statusOf (err) {
  return err && err.response ? err.response.status : null
}

function must (step, answer) {
  if (answer.err) {
    const detail = surfacedFault(answer.err) || String(answer.err)
    throw new Error(step + ' failed: ' + JSON.stringify(detail))
  }
  return answer.data
}

async function contract (options) {
  const base = options['base-url'].replace(/\/+$/, '')
  QuickBooks.V3_ENDPOINT_BASE_URL = base + '/v3/company/'
  QuickBooks.TOKEN_URL = base + '/oauth2/v1/tokens/bearer'
  const qbo = new QuickBooks(
    options['client-id'], options['client-secret'], options['access-token'], false,
    options.realm, true, false, 75, '2.0', options['refresh-token']
  )
  const report = { library: require('node-quickbooks/package.json').version }

  const refreshed = await call(qbo, 'refreshAccessToken')
  const tokens = must('refreshAccessToken', refreshed)
  report.refresh = {
    token_type: tokens.token_type,
    expires_in: tokens.expires_in,
    x_refresh_token_expires_in: tokens.x_refresh_token_expires_in,
    access_token_changed: qbo.token !== options['access-token'],
    refresh_token_changed: qbo.refreshToken !== options['refresh-token']
  }

  const created = must('createCustomer', await call(qbo, 'createCustomer', {
    DisplayName: 'Harbor Property Group',
    PrimaryEmailAddr: { Address: 'ap@harbor.example' },
    requestId: 'node-contract-create-customer'
  }))
  report.create = { Id: created.Id, SyncToken: created.SyncToken, DisplayName: created.DisplayName }

  const read = must('getCustomer', await call(qbo, 'getCustomer', created.Id))
  report.read = {
    Id: read.Id,
    SyncToken: read.SyncToken,
    email: read.PrimaryEmailAddr && read.PrimaryEmailAddr.Address
  }

  const updated = must('updateCustomer', await call(qbo, 'updateCustomer', {
    Id: read.Id, SyncToken: read.SyncToken, CompanyName: 'Harbor Property Group LLC'
  }))
  report.sparse_update = {
    SyncToken: updated.SyncToken,
    CompanyName: updated.CompanyName,
    DisplayName: updated.DisplayName,
    email: updated.PrimaryEmailAddr && updated.PrimaryEmailAddr.Address
  }

  const found = must('findCustomers', await call(qbo, 'findCustomers',
    { DisplayName: 'Harbor Property Group' }))
  report.find = {
    Ids: (found.QueryResponse.Customer || []).map((c) => c.Id),
    startPosition: found.QueryResponse.startPosition,
    maxResults: found.QueryResponse.maxResults
  }

  const duplicate = await call(qbo, 'createCustomer', { DisplayName: 'harbor property group' })
  report.duplicate = { data: duplicate.data, fault: surfacedFault(duplicate.err) }

  const items = must('findItems', await call(qbo, 'findItems', { Type: 'Service', limit: 1 }))
  const item = items.QueryResponse.Item[0]
  const invoice = must('createInvoice', await call(qbo, 'createInvoice', {
    CustomerRef: { value: created.Id },
    Line: [{
      DetailType: 'SalesItemLineDetail',
      Amount: 240,
      SalesItemLineDetail: { ItemRef: { value: item.Id }, Qty: 2, UnitPrice: 120 }
    }]
  }))
  report.invoice = {
    Id: invoice.Id,
    DocNumber: invoice.DocNumber,
    TotalAmt: invoice.TotalAmt,
    Balance: invoice.Balance,
    ItemRef: invoice.Line[0].SalesItemLineDetail.ItemRef,
    item: { Id: item.Id, Name: item.Name }
  }

  const counted = must('findCustomers count', await call(qbo, 'findCustomers', { count: true }))
  const countedInvoices = must('findInvoices count', await call(qbo, 'findInvoices',
    { CustomerRef: created.Id, count: true }))
  report.count = {
    customers: counted.QueryResponse.totalCount,
    invoices_of_customer: countedInvoices.QueryResponse.totalCount,
    keys: Object.keys(counted.QueryResponse)
  }

  const payment = must('createPayment', await call(qbo, 'createPayment', {
    CustomerRef: { value: created.Id },
    TotalAmt: 240,
    Line: [{ Amount: 240, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] }]
  }))
  const paid = must('getInvoice', await call(qbo, 'getInvoice', invoice.Id))
  report.payment = {
    Id: payment.Id,
    TotalAmt: payment.TotalAmt,
    UnappliedAmt: payment.UnappliedAmt,
    linked: payment.Line[0].LinkedTxn[0],
    invoice_balance: paid.Balance,
    invoice_SyncToken: paid.SyncToken
  }

  const batch = must('batch', await call(qbo, 'batch', [
    { bId: 'ok', operation: 'create', Customer: { DisplayName: 'Batch From Node' } },
    { bId: 'dup', operation: 'create', Customer: { DisplayName: 'Harbor Property Group' } },
    { bId: 'q', Query: "select * from Customer where DisplayName = 'Harbor Property Group'" }
  ]))
  report.batch = batch.BatchItemResponse.map((row) => {
    const out = { bId: row.bId }
    if (row.Fault) {
      out.fault = { type: row.Fault.type, code: row.Fault.Error[0].code, Detail: row.Fault.Error[0].Detail }
    } else if (row.Customer) {
      out.Customer = { Id: row.Customer.Id, DisplayName: row.Customer.DisplayName, SyncToken: row.Customer.SyncToken }
    } else if (row.QueryResponse) {
      out.query_ids = (row.QueryResponse.Customer || []).map((c) => c.Id)
    }
    return out
  })

  const stale = await call(qbo, 'updateCustomer', {
    Id: created.Id, SyncToken: read.SyncToken, Notes: 'written from a stale copy'
  })
  const after = must('getCustomer after stale', await call(qbo, 'getCustomer', created.Id))
  report.stale = {
    data: stale.data,
    fault: surfacedFault(stale.err),
    sent_SyncToken: read.SyncToken,
    current_SyncToken: after.SyncToken,
    Notes: after.Notes === undefined ? null : after.Notes
  }

  // the library asks for application/pdf and reads the body as an arraybuffer
  const pdf = must('getInvoicePdf', await call(qbo, 'getInvoicePdf', invoice.Id))
  report.pdf = {
    isBuffer: Buffer.isBuffer(pdf) || pdf instanceof ArrayBuffer,
    base64: Buffer.from(pdf).toString('base64')
  }

  // upload(): only file_content_01 (no metadata), then a full update links it to the invoice;
  // a Buffer, so form-data can send a Content-Length (QBO answers 6020 without one)
  const photo = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256))
  const uploaded = await call(qbo, 'upload', 'site-photo.jpg', 'image/jpeg', photo, 'Invoice', invoice.Id)
  report.upload = { data: uploaded.data, fault: surfacedFault(uploaded.err), base64: photo.toString('base64') }
  const sent = await call(qbo, 'sendInvoicePdf', invoice.Id, 'ap@example.com')
  report.send = { data: sent.data, fault: surfacedFault(sent.err) }
  return report
}

async function main () {
  let options
  try {
    options = readOptions(process.argv.slice(2), process.env)
  } catch (error) {
    process.stderr.write(error.message + '\n')
    return 2
  }
  try {
    process.stdout.write(JSON.stringify(await contract(options)) + '\n')
    return 0
  } catch (error) {
    process.stderr.write((error && error.stack) || String(error))
    process.stderr.write('\n')
    return 1
  }
}

main().then((code) => { process.exitCode = code })
