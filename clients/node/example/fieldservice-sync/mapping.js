'use strict';
/** Field-service records -> QBO entity bodies, QBO's field limits checked first (mapping.py). */
const { QboFault } = require('./client');

const ENTITY = {
  customer: 'Customer', property: 'Customer', vendor: 'Vendor', item: 'Item', class: 'Class',
  invoice: 'Invoice', payment: 'Payment', receipt: 'Bill', attachment: 'Attachable',
};
const TRANSACTIONS = ['invoice', 'payment', 'receipt'];
/** [QBO field, max characters], reference §3.1 / §3.2 */
const NAME_LIMIT = {
  customer: ['DisplayName', 500], property: ['DisplayName', 500], vendor: ['DisplayName', 500],
  item: ['Name', 100], class: ['Name', 100],
};
const DOC_NUMBER_MAX = 21;
const FORBIDDEN_IN_NAMES = [':', '\t', '\n'];

const present = (value) => value !== undefined && value !== null;
/** Python's truthiness of a value from JSON */
const truthy = (value) => {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
};

function checked(field, value, limit, { name = false } = {}) {
  const text = String(truthy(value) ? value : '').trim();
  if (!text) throw new QboFault('2020', `${field} is empty: QuickBooks requires it`);
  const length = [...text].length;
  if (length > limit) {
    throw new QboFault(
      '2050',
      `${field} is ${length} characters; QuickBooks allows at most ${limit}. `
        + 'Shorten it in the field-service record (not sent to QuickBooks).',
      '', field,
    );
  }
  if (name && FORBIDDEN_IN_NAMES.some((c) => text.includes(c))) {
    throw new QboFault(
      '2040',
      `${field} '${text}' contains a colon, tab or newline, which QuickBooks does not allow in names (not sent to QuickBooks).`,
      '', field,
    );
  }
  return text;
}

/** [QBO field, value] that names this record in QBO, for look-up before create */
function identity(record) {
  const d = record.data;
  if (record.kind in NAME_LIMIT) {
    const [field, limit] = NAME_LIMIT[record.kind];
    return [field, checked(field, d.name, limit, { name: field === 'DisplayName' })];
  }
  if (record.kind === 'invoice') return ['DocNumber', checked('DocNumber', d.number, DOC_NUMBER_MAX)];
  if (record.kind === 'receipt') return ['DocNumber', checked('DocNumber', d.vendor_document_number, DOC_NUMBER_MAX)];
  return ['PaymentRefNum', String(truthy(d.reference_number) ? d.reference_number : '').trim()];
}

/** who an invoice is billed to: its property (a sub-customer) or its customer */
function invoiceParty(invoice) {
  return truthy(invoice.property) ? ['property', invoice.property] : ['customer', invoice.customer];
}

/** the create/sparse-update body (references resolved to QBO ids; ref and account may be async) */
/** the record's currency as QBO's CurrencyRef (sent as given: QBO refuses a mismatch, 6000) */
function currency(body, d) {
  if (truthy(d.currency)) body.CurrencyRef = { value: d.currency };
  return body;
}

async function buildBody(record, ref, account, invoiceData, taxCode = null) {
  const d = record.data;
  const kind = record.kind;
  if (kind === 'customer' || kind === 'vendor') {
    const body = { DisplayName: identity(record)[1] };
    if (truthy(d.email)) body.PrimaryEmailAddr = { Address: checked('Email', d.email, 100) };
    if (truthy(d.phone)) body.PrimaryPhone = { FreeFormNumber: checked('Phone', d.phone, 30) };
    return currency(body, d);
  }
  if (kind === 'property') {
    const body = { DisplayName: identity(record)[1], Job: true, BillWithParent: true, ParentRef: ref('customer', d.customer) };
    if (truthy(d.address)) body.ShipAddr = { Line1: checked('ShipAddr.Line1', d.address, 500) };
    return body;
  }
  if (kind === 'class') return { Name: identity(record)[1] };
  if (kind === 'item') {
    const body = { Name: identity(record)[1], Type: truthy(d.type) ? d.type : 'Service' };
    if (truthy(d.income_account)) body.IncomeAccountRef = await account(d.income_account);
    if (truthy(d.expense_account)) body.ExpenseAccountRef = await account(d.expense_account);
    if (present(d.price)) body.UnitPrice = d.price;
    return body;
  }
  if (kind === 'invoice') return invoiceBody(record, ref, taxCode);
  if (kind === 'payment') return paymentBody(record, ref, invoiceData(d.invoice));
  return billBody(record, ref, account);
}

/** lines (US tax: TAX/NON per line, the invoice's tax code as TxnTaxCodeRef); QBO computes
 * the tax, and the engine compares its total with the field app's (TOTAL_MISMATCH) */
async function invoiceBody(record, ref, taxCode) {
  const d = record.data;
  const lines = [];
  const taxed = truthy(d.tax_code) || (truthy(d.lines) ? d.lines : []).some((ln) => 'taxable' in ln);
  for (const line of truthy(d.lines) ? d.lines : []) {
    const detail = { ItemRef: ref('item', line.item) };
    if (present(line.quantity)) detail.Qty = line.quantity;
    if (present(line.unit_price)) detail.UnitPrice = line.unit_price; // as given: QBO checks 6070
    if (truthy(line.class) || truthy(d.class)) detail.ClassRef = ref('class', truthy(line.class) ? line.class : d.class);
    if (taxed) detail.TaxCodeRef = { value: line.taxable ? 'TAX' : 'NON' };
    const entry = { DetailType: 'SalesItemLineDetail', Amount: line.amount, SalesItemLineDetail: detail };
    if (truthy(line.description)) entry.Description = checked('Line.Description', line.description, 4000);
    lines.push(entry);
  }
  const body = { DocNumber: identity(record)[1], CustomerRef: ref(...invoiceParty(d)), Line: lines };
  if (truthy(d.date)) body.TxnDate = d.date;
  if (truthy(d.tax_code) && taxCode !== null) body.TxnTaxDetail = { TxnTaxCodeRef: await taxCode(d.tax_code) };
  return currency(body, d);
}

function paymentBody(record, ref, invoice) {
  const d = record.data;
  const body = {
    // the payer is the invoice's customer in the field-service system (620 otherwise)
    CustomerRef: ref(...invoiceParty(invoice)),
    TotalAmt: d.amount,
    Line: [{ Amount: d.amount, LinkedTxn: [{ TxnId: ref('invoice', d.invoice).value, TxnType: 'Invoice' }] }],
  };
  if (truthy(d.reference_number)) body.PaymentRefNum = String(d.reference_number).trim();
  if (truthy(d.date)) body.TxnDate = d.date;
  return currency(body, d);
}

async function billBody(record, ref, account) {
  const d = record.data;
  const lines = [];
  for (const line of truthy(d.lines) ? d.lines : []) {
    let entry;
    if (truthy(line.account)) {
      entry = { DetailType: 'AccountBasedExpenseLineDetail', Amount: line.amount, AccountBasedExpenseLineDetail: { AccountRef: await account(line.account) } };
    } else {
      entry = { DetailType: 'ItemBasedExpenseLineDetail', Amount: line.amount, ItemBasedExpenseLineDetail: { ItemRef: ref('item', line.item) } };
    }
    if (truthy(line.description)) entry.Description = checked('Line.Description', line.description, 4000);
    lines.push(entry);
  }
  const body = { VendorRef: ref('vendor', d.vendor), DocNumber: identity(record)[1], Line: lines };
  if (truthy(d.date)) body.TxnDate = d.date;
  return body;
}

const round2 = (x) => Math.round(Number(x) * 100) / 100;

function total(body) {
  return round2((body.Line || []).reduce((sum, line) => sum + Number(line.Amount), 0));
}

module.exports = { ENTITY, TRANSACTIONS, NAME_LIMIT, checked, identity, invoiceParty, buildBody, total, truthy, present, round2 };
