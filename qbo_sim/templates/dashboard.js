// qbo-sim dashboard: every action is a documented /_sim/ call (docs/control-plane.md); the
// page adds no behaviour. No build step, no library.
"use strict";
const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
const state = { realm: null, view: "companies", entities: {}, journal: [], lastSeq: 0,
                entity: null, mode: "qbo", selectedSeq: null, companies: [], journalTicket: 0 };

function token() { return sessionStorage.getItem("qbo-sim-token"); }

async function call(method, path, body) {
  const headers = { "Accept": "application/json" };
  if (token()) headers["X-QBO-Sim-Token"] = token();
  const init = { method, headers };
  if (body !== undefined) { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
  const res = await fetch(path, init);
  if (res.status === 401) {
    const given = prompt("This server needs its control token (--control-token):");
    if (given) { sessionStorage.setItem("qbo-sim-token", given); return call(method, path, body); }
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
  if (!res.ok) { const err = new Error(`${res.status} ${method} ${path}`); err.status = res.status; err.data = data; throw err; }
  return data;
}

function say(text) { $("#status").textContent = text; }
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}
const pretty = (v) => JSON.stringify(v, null, 2);

// a typed number from a form field: a clear message instead of NaN (JSON null) on the wire
class FieldError extends Error {}
function numberField(text, label, { integer = false, min = null, above = null } = {}) {
  const value = String(text ?? "").trim();
  const n = value === "" ? NaN : Number(value);
  if (!Number.isFinite(n)) throw new FieldError(`${label} must be a number, not "${value}"`);
  if (integer && !Number.isInteger(n)) throw new FieldError(`${label} must be a whole number, not ${value}`);
  if (min !== null && n < min) throw new FieldError(`${label} must be ${min} or more, not ${value}`);
  if (above !== null && n <= above) throw new FieldError(`${label} must be more than ${above}, not ${value}`);
  return n;
}
function fail(target, message) {
  $(target).textContent = message;
  $(target).dataset.ok = "false";
}

// times: the company's local time with its UTC offset (as QBO's answers and the journal show it)
function offsetText(minutes) {
  const sign = minutes < 0 ? "-" : "+", m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}
function companyOffset(realm = state.realm) {
  const c = state.companies.find((x) => x.realm_id === realm);
  return c && typeof c.utc_offset_minutes === "number" ? c.utc_offset_minutes : 0;
}
function zoned(iso, minutes, { date = false } = {}) {
  const t = new Date(Date.parse(iso) + minutes * 60000).toISOString();
  return `${date ? t.slice(0, 10) + " " : ""}${t.slice(11, 23)} ${offsetText(minutes)}`;
}
// the journal's own times are already local: keep their digits, show their offset
function journalTime(time) {
  const m = /T(\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d:\d\d|Z)?$/.exec(time || "");
  return m ? `${m[1].slice(0, 12)} ${m[2] === "Z" || !m[2] ? "+00:00" : m[2]}` : time;
}
const q = (params) => Object.entries(params).filter(([, v]) => v !== "" && v !== null && v !== undefined)
  .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");

// --- views ------------------------------------------------------------------------------
function show(view) {
  state.view = view;
  for (const tab of $$("nav [role=tab]")) tab.setAttribute("aria-selected", String(tab.dataset.view === view));
  for (const panel of $$("main > section")) panel.hidden = panel.id !== `view-${view}`;
  history.replaceState(null, "", `#${view}`);
  refresh();
}

async function loadCompanies() {
  const { companies } = await call("GET", "companies");
  state.companies = companies;
  const select = $("#realm");
  const known = companies.map((c) => c.realm_id);
  if (!known.includes(state.realm)) state.realm = known[0] || null;
  select.replaceChildren(...companies.map((c) =>
    el("option", { value: c.realm_id, ...(c.realm_id === state.realm ? { selected: "" } : {}) }, `${c.name} (${c.realm_id})`)));
  $("#companies-table tbody").replaceChildren(...companies.map((c) => {
    const counts = Object.entries(c.entities).map(([k, n]) => `${k} ${n}`).join(", ");
    return el("tr", { "data-realm": c.realm_id, class: c.realm_id === state.realm ? "selected" : "",
                      onclick: () => { state.realm = c.realm_id; select.value = c.realm_id; show("entities"); } },
      el("td", {}, c.name), el("td", {}, c.realm_id), el("td", {}, c.environment), el("td", {}, c.preset || ""), el("td", {}, counts));
  }));
  $("#snapshot-download-realm").setAttribute("href", state.realm ? `snapshot?realm=${state.realm}` : "#");
  $("#snapshot-download-realm").setAttribute("download", `qbo-sim-${state.realm}.json`);
  return companies;
}

async function loadEntities() {
  if (!state.realm) return;
  const doc = await call("GET", `snapshot?realm=${encodeURIComponent(state.realm)}`);
  state.entities = (doc.companies[0] || {}).entities || {};
  const typeSelect = $("#entity-type");
  const types = Object.keys(state.entities).sort();
  const current = typeSelect.value || types[0];
  typeSelect.replaceChildren(...types.map((t) => el("option", { value: t, ...(t === current ? { selected: "" } : {}) }, `${t} (${state.entities[t].length})`)));
  renderEntityList();
  if (state.entity) {
    const again = (state.entities[state.entity.type] || []).find((e) => e.Id === state.entity.id);
    if (again) renderEntity(state.entity.type, again);
  }
}

function label(entity) {
  return entity.DisplayName || entity.Name || entity.FullyQualifiedName ||
    (entity.DocNumber ? `No. ${entity.DocNumber}` : "") || entity.CompanyName || `#${entity.Id}`;
}

// the status QBO's lists show: inactive / active for names; voided, deleted, paid, open for
// transactions (a voided one has zero amounts and "Voided" in its memo)
function entityStatus(e) {
  if (e.Active === false) return ["inactive", "bad"];
  if (e.status === "Deleted") return ["deleted", "bad"];
  if (/^Voided/.test(e.PrivateNote || "")) return ["voided", "bad"];
  if (typeof e.Balance === "number" && typeof e.TotalAmt === "number") {
    if (e.Balance === 0 && e.TotalAmt > 0) return ["paid", "good"];
    if (e.Balance > 0 && e.Balance < e.TotalAmt) return ["partially paid", ""];
    if (e.Balance > 0) return ["open", ""];
  }
  if (e.Active === true) return ["active", "good"];
  return null;
}
function party(e) {
  const ref = e.CustomerRef || e.VendorRef || e.EntityRef || e.EmployeeRef;
  return ref ? (ref.name ? `${ref.name} (${ref.value})` : `#${ref.value}`) : "";
}

function renderEntityList() {
  const type = $("#entity-type").value;
  const needle = $("#entity-search").value.trim().toLowerCase();
  // an exact Id first, then names starting with the text, then anything containing it
  const rank = (e) => String(e.Id).toLowerCase() === needle ? 0 : label(e).toLowerCase().startsWith(needle) ? 1 : 2;
  const rows = (state.entities[type] || []).filter((e) => !needle || JSON.stringify(e).toLowerCase().includes(needle))
    .map((e, i) => [needle ? rank(e) : 0, i, e]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, , e]) => e);
  $("#entity-table tbody").replaceChildren(...rows.map((e) => {
    const found = entityStatus(e);
    const status = found ? el("span", { class: `badge ${found[1]}` }, found[0]) : "";
    return el("tr", { "data-id": e.Id, class: state.entity && state.entity.id === e.Id && state.entity.type === type ? "selected" : "",
                      onclick: () => renderEntity(type, e) },
      el("td", {}, e.Id), el("td", {}, label(e)), el("td", {}, party(e)),
      el("td", { class: "num" }, money(e.TotalAmt ?? e.Amount ?? "")), el("td", { class: "num" }, money(e.Balance ?? "")),
      el("td", {}, e.SyncToken ?? ""), el("td", {}, status));
  }));
}

function money(v) { return typeof v === "number" ? v.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : v; }
function shown(v) {
  if (v && typeof v === "object") return v.name || v.value || v.Address || v.FreeFormNumber || v.URI ||
    [v.Line1, v.City, v.CountrySubDivisionCode, v.PostalCode].filter(Boolean).join(", ") || JSON.stringify(v);
  return typeof v === "number" ? money(v) : String(v);
}

function asQbo(type, e) {
  // what a QBO user sees on the record's page: its title, the fields people read, the lines
  const skip = new Set(["Line", "MetaData", "domain", "sparse", "Id", "SyncToken", "LinkedTxn"]);
  const dl = el("dl");
  for (const [k, v] of Object.entries(e)) {
    if (skip.has(k) || v === null || v === "" || (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0)) continue;
    if (Array.isArray(v)) continue;
    dl.append(el("dt", {}, k.replace(/Ref$/, "").replace(/([a-z])([A-Z])/g, "$1 $2")), el("dd", {}, shown(v)));
  }
  const box = el("div", { class: "qbo", id: "entity-qbo" },
    el("h4", {}, `${type} ${label(e)}`),
    el("p", {}, `Id ${e.Id} · SyncToken ${e.SyncToken} · last updated ${(e.MetaData || {}).LastUpdatedTime || "?"}`), dl);
  if (Array.isArray(e.Line) && e.Line.length) {
    const lines = el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "#"), el("th", {}, "Product/service or account"), el("th", {}, "Description"), el("th", {}, "Amount"))));
    const body = el("tbody");
    e.Line.forEach((line, i) => {
      const detail = line[line.DetailType] || {};
      const what = detail.ItemRef || detail.AccountRef || {};
      body.append(el("tr", {}, el("td", {}, String(line.LineNum ?? i + 1)), el("td", {}, what.name || what.value || line.DetailType || ""),
        el("td", {}, line.Description || ""), el("td", {}, money(line.Amount ?? ""))));
    });
    lines.append(body);
    box.append(lines);
  }
  if (Array.isArray(e.LinkedTxn) && e.LinkedTxn.length) box.append(el("p", {}, "Linked: " + e.LinkedTxn.map((t) => `${t.TxnType} ${t.TxnId}`).join(", ")));
  return box;
}

// the write an entry made to a record of `type`: the API's writes are POSTs answering
// {Type: {...}}; the QBO user's edits are journalled as "<action> <Type>" with the record itself
// (a read, a query or another type's record with the same Id is not a change of this one)
function writeOf(entry, type) {
  const r = entry.response;
  if (!r || typeof r !== "object" || entry.status >= 400) return null;
  if (entry.user_edit) return entry.path.split(" ").pop() === type ? r : null;
  return entry.method === "POST" ? r[type] || null : null;
}

async function syncHistory(type, e) {
  const { entries } = await call("GET", `journal?${q({ realm: state.realm })}`);
  const rows = [];
  for (const entry of entries) {
    const record = writeOf(entry, type);
    if (record && record.Id === e.Id && record.SyncToken !== undefined) {
      rows.push(el("tr", {}, el("td", {}, String(entry.seq)), el("td", {}, journalTime(entry.time)), el("td", {}, entry.user_edit ? "QBO user" : "integration"),
        el("td", {}, `${entry.method} ${entry.path}`), el("td", {}, record.SyncToken)));
    }
  }
  const table = el("table", { id: "entity-history" }, el("thead", {}, el("tr", {}, el("th", {}, "#"), el("th", {}, "Time"), el("th", {}, "Who"), el("th", {}, "Call"), el("th", {}, "SyncToken"))), el("tbody", {}, ...rows));
  return el("div", {}, el("p", {}, `SyncToken now ${e.SyncToken}; the changes the journal still holds:`), rows.length ? table : el("p", {}, "none in the journal (made before it, or cleared)."));
}

async function renderEntity(type, e) {
  state.entity = { type, id: e.Id };
  $("#entity-detail").hidden = false;
  $("#entity-title").textContent = `${type} ${e.Id}`;
  for (const b of $$("#entity-detail .mode")) b.setAttribute("aria-pressed", String(b.dataset.mode === state.mode));
  for (const tr of $$("#entity-table tbody tr")) tr.classList.toggle("selected", tr.dataset.id === e.Id);
  const view = $("#entity-view");
  if (state.mode === "json") view.replaceChildren(el("pre", { id: "entity-json" }, pretty(e)));
  else if (state.mode === "history") view.replaceChildren(await syncHistory(type, e));
  else view.replaceChildren(asQbo(type, e));
}

function journalQuery() {
  const form = $("#journal-filters");
  const params = Object.fromEntries(new FormData(form).entries());
  const all = params.all_realms; delete params.all_realms;
  if (!all && state.realm) params.realm = state.realm;
  return params;
}

// webhook deliveries join the timeline: one row per attempt (or one for a notification never
// sent: dropped, or waiting), at its time, shown in its company's local time like the calls
function webhookRows(notifications, params) {
  if (params.method && params.method !== "WEBHOOK") return [];
  if (params.user_edit === "true" || params.fault_code) return [];
  const rows = [];
  for (const n of notifications) {
    if (params.realm && n.realm !== params.realm) continue;
    const names = n.events.map((ev) => `${ev.name} ${ev.operation} ${ev.id}`);
    if (params.path && !names.join(" ").toLowerCase().includes(params.path.toLowerCase())) continue;
    const attempts = n.attempts.length ? n.attempts : [null];
    attempts.forEach((a, i) => {
      const status = a ? (a.status ?? "no answer") : n.state;
      if (params.status && String(status) !== params.status) return;
      rows.push({ kind: "webhook", notification: n, attempt: a, index: i, at: a ? a.at : n.created_at, status,
                  summary: names.join(", "),
                  failed: n.state === "dropped" || (a && !a.acknowledged) });
    });
  }
  return rows;
}

// the journal filters ask the server (GET /_sim/journal) once typing pauses; an answer to a
// request a newer one replaced is dropped, so the table always shows the latest filters
let journalTimer = null;
function journalSoon() {
  clearTimeout(journalTimer);
  journalTimer = setTimeout(() => loadJournal(), 300);
}

function recordId(e) {
  // what a QBO user's edit changed: "update Customer 3", "merge Customer 5 → 2"
  const r = e.response, b = e.body;
  if (b && b.from !== undefined) return `${b.from} → ${b.into}`;
  return (r && r.Id) || (b && b.Id) || "";
}
function shownQuery(query) {
  return Object.entries(query || {}).map(([k, v]) => `${k}=${v}`).join("&");
}

async function loadJournal() {
  const ticket = ++state.journalTicket;
  const params = journalQuery();
  let answers;
  try {
    answers = await Promise.all([call("GET", `journal?${q(params)}`), call("GET", "webhooks/history")]);
  } catch (err) {
    if (ticket !== state.journalTicket) return;
    const why = err.data && err.data.error ? `${err.data.error}${err.data.detail !== undefined && err.data.detail !== null ? `: ${JSON.stringify(err.data.detail)}` : ""}` : err.message;
    $("#journal-error").textContent = `The filters were refused: ${why}`;
    return;
  }
  if (ticket !== state.journalTicket) return; // a newer request is on its way
  $("#journal-error").textContent = "";
  const [{ entries, last_seq }, { notifications }] = answers;
  state.journal = entries;
  state.lastSeq = last_seq;
  const hooks = webhookRows(notifications, params);
  state.webhooks = hooks;
  const everyCompany = !params.realm;
  $("#journal-table").classList.toggle("all-realms", everyCompany);
  const companyName = (realm) => (state.companies.find((c) => c.realm_id === realm) || {}).name || realm || "-";
  const timeline = [...entries.map((e) => ({ kind: "call", at: e.time, e })), ...hooks]
    // newest first; at one instant a delivery follows the call whose commit made it
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.e ? 1 : 0) - (b.e ? 1 : 0) ||
      (a.e ? b.e.seq - a.e.seq : b.index - a.index));
  $("#journal-table tbody").replaceChildren(...timeline.map((row) => {
    if (row.kind === "webhook") {
      const n = row.notification;
      const id = `${n.id}.${row.index}`;
      return el("tr", { "data-webhook": id, class: ["webhook", row.failed ? "fault" : "", state.selectedSeq === id ? "selected" : ""].join(" "),
                        onclick: () => showWebhook(row) },
        el("td", {}, ""), el("td", {}, zoned(row.at, companyOffset(n.realm))), el("td", {}, "WEBHOOK"),
        el("td", { title: row.summary }, `→ subscription ${n.subscription}: ${row.summary}`),
        el("td", {}, String(row.status)), el("td", {}, ""),
        el("td", {}, row.attempt ? `webhook attempt ${row.index + 1}: ${row.attempt.acknowledged ? "acknowledged" : row.attempt.error || "not acknowledged"}` : `webhook ${n.state}`),
        el("td", { class: "company-col" }, companyName(n.realm)));
    }
    const e = row.e;
    const cls = [e.status >= 400 || e.tags.length && e.tags.some((t) => /inject|outage|throttl/.test(t)) ? "fault" : "", e.user_edit ? "user" : "", e.seq === state.selectedSeq ? "selected" : ""].join(" ");
    const query = shownQuery(e.query);
    const path = e.user_edit ? `${e.path} ${recordId(e)}`.trim() : e.path.replace(/^\/v3\/company\/[^/]+/, "…") + (query ? "?" + query : "");
    return el("tr", { "data-seq": e.seq, class: cls, onclick: () => showExchange(e) },
      el("td", {}, String(e.seq)), el("td", {}, journalTime(e.time)), el("td", {}, e.method), el("td", { title: e.path + (query ? "?" + query : "") }, path),
      el("td", {}, String(e.status)), el("td", {}, e.fault_code || ""), el("td", {}, [...e.tags, e.requestid ? `requestid ${e.requestid}` : ""].filter(Boolean).join(", ")),
      el("td", { class: "company-col" }, companyName(e.realm)));
  }));
}

function selectRow(id) {
  state.selectedSeq = id;
  for (const tr of $$("#journal-table tbody tr")) tr.classList.toggle("selected", (tr.dataset.seq ? Number(tr.dataset.seq) : tr.dataset.webhook) === id);
}

function showWebhook(row) {
  const n = row.notification;
  selectRow(`${n.id}.${row.index}`);
  const box = $("#exchange");
  box.hidden = false;
  let body = n.body;
  try { body = pretty(JSON.parse(n.body)); } catch (e) { /* shown as sent */ }
  box.replaceChildren(
    el("h3", {}, `Webhook ${n.id} → subscription ${n.subscription}: ${n.state}`),
    el("p", {}, `realm ${n.realm} · made ${zoned(n.created_at, companyOffset(n.realm), { date: true })} · ${n.attempts.length} attempt(s)${n.next_attempt_at ? " · next " + zoned(n.next_attempt_at, companyOffset(n.realm), { date: true }) : ""} · times in the company's local time`),
    el("h4", {}, "Events"), el("pre", {}, pretty(n.events)),
    el("h4", {}, "Attempts"), el("pre", { id: "webhook-attempts" }, pretty(n.attempts.map((a) => ({ ...a, at: zoned(a.at, companyOffset(n.realm), { date: true }) })))),
    el("h4", {}, "Headers"), el("pre", {}, pretty(n.headers)),
    el("h4", {}, "Body"), el("pre", { id: "webhook-body" }, body));
  reveal(box);
}

function showExchange(e) {
  selectRow(e.seq);
  const box = $("#exchange");
  box.hidden = false;
  box.replaceChildren(
    el("h3", {}, `#${e.seq} ${e.method} ${e.path} → ${e.status}${e.fault_code ? " (fault " + e.fault_code + ")" : ""}`),
    el("p", {}, `${e.time} · realm ${e.realm || "-"} · ${e.user_edit ? "QBO user" : "integration"} · intuit_tid ${e.intuit_tid || "-"} · requestid ${e.requestid || "-"} · tags ${e.tags.join(", ") || "-"}`),
    el("h4", {}, "Query"), el("pre", {}, pretty(e.query)),
    el("h4", {}, "Request body"), el("pre", { id: "exchange-request" }, pretty(e.body)),
    el("h4", {}, "Response"), el("pre", { id: "exchange-response" }, pretty(e.response)));
  reveal(box);
}

// on a narrow screen the detail is below the table: bring it into view
function reveal(box) {
  if (box.getBoundingClientRect().top > window.innerHeight - 40 || box.getBoundingClientRect().top < 0)
    box.scrollIntoView({ block: "start" });
}

// the fault drop-down: every catalogue fault (QBO's code and message) and the transport outcomes
async function loadCatalogue() {
  if (state.catalogue) return;
  const { faults, shorthands } = await call("GET", "faults/catalogue");
  state.catalogue = Object.fromEntries(faults.map((f) => [f.key, f]));
  const byType = {};
  for (const f of faults) (byType[f.type] = byType[f.type] || []).push(f);
  $("#fault-name").replaceChildren(
    el("optgroup", { label: "Transport (no QBO fault)" }, ...shorthands.map((s) => el("option", { value: s }, s))),
    ...Object.entries(byType).map(([type, list]) => el("optgroup", { label: type },
      ...list.map((f) => el("option", { value: f.key }, `${f.key} · ${f.code} · ${f.message}`.slice(0, 90))))));
  describeFault();
}

function describeFault() {
  const f = (state.catalogue || {})[$("#fault-name").value];
  const params = $("#fault-form input[name=params]");
  params.value = "";
  if (!f) { $("#fault-about").textContent = "no QBO fault: the transport fails as chosen"; params.placeholder = ""; return; }
  $("#fault-about").textContent = `HTTP ${f.status} · ${f.type} ${f.code} "${f.message}"` +
    (f.detail ? ` · Detail "${f.detail}"` : "") + ` · ${f.confidence} (${f.source})` +
    (f.params.length ? ` · fill in params ${f.params.join(", ")}` : "");
  // the names the Detail needs, as a hint: a value left empty would be refused
  params.placeholder = f.params.length ? JSON.stringify(Object.fromEntries(f.params.map((p) => [p, `<${p}>`]))) : "";
}

// the control plane's own OpenAPI document says what the drop-downs may offer
async function spec() {
  if (!state.spec) state.spec = await call("GET", "openapi.json");
  return state.spec;
}
function bodySchema(doc, path) {
  const op = (doc.paths[path] || {}).post;
  return op && op.requestBody ? op.requestBody.content["application/json"].schema : {};
}
async function loadOperations() {
  const select = $("#fault-operation");
  if (select.options.length > 1) return;
  const field = (bodySchema(await spec(), "/_sim/faults").properties || {}).operation || {};
  select.append(...(field.enum || []).map((name) => el("option", { value: name }, name)));
}

async function loadFaults() {
  await loadCatalogue();
  await loadOperations();
  const { rules } = await call("GET", "faults");
  $("#fault-table tbody").replaceChildren(...rules.map((r) => {
    const outcome = r.fault || (r.status ? `HTTP ${r.status}` : r.drop ? "drop" : r.ambiguous ? "ambiguous" : "latency");
    const matches = ["realm", "entity", "operation", "method", "path", "until"].filter((k) => r[k]).map((k) => `${k}=${r[k]}`).join(" ") || "every request";
    return el("tr", { "data-rule": r.id }, el("td", {}, String(r.id)), el("td", {}, outcome), el("td", {}, matches), el("td", {}, String(r.fired)),
      el("td", {}, r.remaining === null ? "∞" : String(r.remaining)),
      el("td", {}, el("button", { type: "button", onclick: async () => { await call("DELETE", `faults/${r.id}`); loadFaults(); } }, "Remove")));
  }));
}

async function loadClock() {
  const clock = await call("GET", "clock");
  const offset = companyOffset();
  const local = zoned(clock.now, offset, { date: true }).replace(/\.\d+ /, " ");
  $("#clock-now").textContent = `clock ${local} (company) · ${clock.now.slice(11, 19)} UTC${clock.frozen ? " (frozen)" : ""}`;
  $("#clock-big").textContent = `${local} · ${clock.now}`;
  const setter = $("#clock-set-time");
  if (!setter.value && document.activeElement !== setter) setter.value = local.replace(" ", "T").replace(" ", "");
  $("#clock-frozen").textContent = clock.frozen ? "(frozen: moves only when advanced)" : "(running)";
}

async function loadApi() {
  const doc = await spec();
  const rows = [];
  for (const path of Object.keys(doc.paths).sort()) for (const [method, op] of Object.entries(doc.paths[path]))
    rows.push(el("tr", {}, el("td", {}, method.toUpperCase()), el("td", {}, path), el("td", {}, op.summary)));
  $("#api-table tbody").replaceChildren(...rows);
}

async function refresh() {
  try {
    await loadCompanies();
    await loadClock();
    state.seenSeq = state.lastSeq = (await call("GET", "journal?since=999999999999")).last_seq;
    if (state.view === "entities") await loadEntities();
    if (state.view === "journal") await loadJournal();
    if (state.view === "faults") await loadFaults();
    if (state.view === "api") await loadApi();
    say(`updated ${new Date().toLocaleTimeString()} · journal #${state.lastSeq ?? "-"}`);
  } catch (err) { say(`error: ${err.message}`); }
}

// --- live updates: poll the journal's last sequence number, refresh when it moves --------
async function poll() {
  if ($("#live").checked) {
    try {
      const { last_seq } = await call("GET", "journal?since=999999999999");
      if (last_seq !== state.seenSeq) { state.seenSeq = state.lastSeq = last_seq; await refresh(); } else await loadClock();
    } catch (err) { say(`error: ${err.message}`); }
  }
  setTimeout(poll, 1500);
}

// --- actions --------------------------------------------------------------------------
function output(target, promise) {
  return promise.then((data) => { $(target).textContent = pretty(data); $(target).dataset.ok = "true"; refresh(); return data; })
    .catch((err) => { $(target).textContent = `${err.message}\n${pretty(err.data)}`; $(target).dataset.ok = "false"; });
}

// the page's action → the documented endpoint it calls (rename is a sparse update)
const USER_ENDPOINT = { rename: "sparse-update" };

async function userFields() {
  const action = $("#user-action").value;
  const need = { "rename": ["entity", "id", "field", "value"], "move-invoice": ["id", "customer_id"], "record-payment": ["id", "amount"] }[action] || ["entity", "id"];
  for (const lab of $$("#user-form [data-for]")) lab.hidden = !need.includes(lab.dataset.for);
  if (!need.includes("entity")) return;
  // the entity types this action applies to, as the OpenAPI document names them
  const path = `/_sim/companies/{realm}/user/${USER_ENDPOINT[action] || action}`;
  const field = (bodySchema(await spec(), path).properties || {}).entity || {};
  const names = field.enum || field.examples || [];
  const select = $("#user-entity");
  const keep = select.value;
  select.replaceChildren(...names.map((n) => el("option", { value: n, ...(n === keep ? { selected: "" } : {}) }, n)));
}

function userRequest(f) {
  const who = f.user ? { user: f.user } : {};
  switch (f.action) {
    case "rename": return ["sparse-update", { entity: f.entity, id: f.id, fields: { [f.field]: f.value }, ...who }];
    case "move-invoice": return ["move-invoice", { invoice_id: f.id, customer_id: f.customer_id, ...who }];
    case "record-payment": {
      // no amount: the open balance (omitted, never null)
      const amount = f.amount.trim() ? { amount: numberField(f.amount, "Amount", { above: 0 }) } : {};
      return ["record-payment", { invoice_id: f.id, ...amount, ...who }];
    }
    default: return [f.action, { entity: f.entity, id: f.id, ...who }];
  }
}

function wire() {
  for (const tab of $$("nav [role=tab]")) tab.addEventListener("click", () => show(tab.dataset.view));
  $("#realm").addEventListener("change", (ev) => { state.realm = ev.target.value; state.entity = null; $("#entity-detail").hidden = true; refresh(); });
  $("#entity-type").addEventListener("change", () => { state.entity = null; $("#entity-detail").hidden = true; renderEntityList(); });
  $("#entity-search").addEventListener("input", renderEntityList);
  for (const b of $$("#entity-detail .mode")) b.addEventListener("click", () => {
    state.mode = b.dataset.mode;
    const e = (state.entities[state.entity.type] || []).find((x) => x.Id === state.entity.id);
    if (e) renderEntity(state.entity.type, e);
  });
  for (const kind of ["input", "change"]) $("#journal-filters").addEventListener(kind, journalSoon);
  $("#journal-filters").addEventListener("submit", (ev) => ev.preventDefault());
  $("#journal-export").addEventListener("click", () => {
    const webhooks = (state.webhooks || []).map((row) => ({ ...row.notification, attempt: row.index }));
    const blob = new Blob([pretty({ filters: journalQuery(), entries: state.journal, webhooks })], { type: "application/json" });
    const a = el("a", { href: URL.createObjectURL(blob), download: "qbo-sim-journal.json" });
    document.body.append(a); a.click(); a.remove();
  });
  $("#journal-clear").addEventListener("click", async () => { if (confirm("Clear the whole journal?")) { await call("DELETE", "journal"); refresh(); } });
  $("#company-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = Object.fromEntries(new FormData(ev.target).entries());
    call("POST", "companies", { preset: f.preset, ...(f.name ? { name: f.name } : {}) }).then((c) => { state.realm = c.realm_id; refresh(); });
  });
  $("#user-action").addEventListener("change", () => userFields().catch((err) => fail("#user-result", err.message)));
  userFields().catch((err) => fail("#user-result", err.message));
  $("#user-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    let request;
    try { request = userRequest(Object.fromEntries(new FormData(ev.target).entries())); } catch (err) { fail("#user-result", err.message); return; }
    const [action, body] = request;
    output("#user-result", call("POST", `companies/${encodeURIComponent(state.realm)}/user/${action}`, body));
  });
  $("#fault-name").addEventListener("change", describeFault);
  $("#fault-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = Object.fromEntries(new FormData(ev.target).entries());
    const rule = { fault: f.fault, realm: state.realm };
    if (f.entity) rule.entity = f.entity;
    if (f.operation) rule.operation = f.operation;
    try {
      // empty: the server's default (once)
      if (f.times.trim()) rule.times = numberField(f.times, "Times", { integer: true, min: 0 });
    } catch (err) { fail("#fault-result", err.message); return; }
    if (f.params) { try { rule.params = JSON.parse(f.params); } catch (e) { fail("#fault-result", `params: ${e.message}`); return; } }
    output("#fault-result", call("POST", "faults", rule));
  });
  $("#outage-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = Object.fromEntries(new FormData(ev.target).entries());
    let minutes;
    try { minutes = numberField(f.minutes, "Outage minutes", { above: 0 }); } catch (err) { fail("#fault-result", err.message); return; }
    output("#fault-result", call("POST", "outage", { minutes, status: Number(f.status), ...(f.this_realm ? { realm: state.realm } : {}) }));
  });
  for (const b of $$("[data-advance]")) b.addEventListener("click", () => output("#clock-result", call("POST", "clock/advance", { seconds: Number(b.dataset.advance) })));
  $("#clock-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    let seconds;
    try { seconds = numberField(new FormData(ev.target).get("seconds"), "Seconds"); } catch (err) { fail("#clock-result", err.message); return; }
    output("#clock-result", call("POST", "clock/advance", { seconds }));
  });
  $("#clock-set-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    output("#clock-result", call("POST", "clock/set", { time: String(new FormData(ev.target).get("time")).trim() }));
  });
  $("#snapshot-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const file = $("#snapshot-file").files[0];
    if (!file) { $("#snapshot-result").textContent = "choose a snapshot file first"; return; }
    let doc;
    try { doc = JSON.parse(await file.text()); } catch (e) { $("#snapshot-result").textContent = `not JSON: ${e.message}`; return; }
    const replace = new FormData(ev.target).get("replace") ? "?replace=true" : "";
    output("#snapshot-result", call("POST", `snapshot${replace}`, doc));
  });
}

wire();
show((location.hash || "#companies").slice(1) || "companies");
setTimeout(poll, 1500);
