"""API mechanics qbo-sim simulates (wire format, query, OAuth, throttling, idempotency...),
and what it does not simulate yet: data for the fidelity table (``docs/fidelity.md``).

Business rules have their own list, :data:`qbo_sim.rules.BEHAVIOURS`; faults are in the
catalogue, :data:`qbo_sim.faults.CATALOGUE`.
"""

from __future__ import annotations

from qbo_sim.rules.behaviours import Behaviour

B = Behaviour

MECHANICS: list[Behaviour] = [
    B(
        "An empty string in a date, date-time or enumeration field reads as no value "
        '(python-quickbooks sends "" for every unset field, and QBO accepts it)',
        "no fault",
        "tests/compat (python-quickbooks against qbo-sim); the library works against QBO",
        "observed",
    ),
    B(
        'Entity responses `{"<Entity>": {...}, "time": ...}` with `domain`, `sparse`, `Id`, '
        "`SyncToken`, `MetaData` (company-local offset, no milliseconds)",
        "wire format",
        "§5.2",
        "official",
    ),
    B(
        "`time` of responses with milliseconds and the company's offset; gateway faults use "
        "epoch milliseconds",
        "wire format",
        "§1.1, §1.3",
        "observed",
    ),
    B(
        "`intuit_tid` header on every response, errors and outage pages included",
        "header",
        "§1.6",
        "observed",
    ),
    B(
        "SyncToken starts at 0 and grows by one per update, void or linked change",
        "effect",
        "§5.2, §5.3",
        "official",
    ),
    B(
        "Full update nulls omitted writable fields; `sparse: true` changes only what is sent",
        "effect",
        "§5.3",
        "official",
    ),
    B(
        'Delete answers `{"status":"Deleted","domain":"QBO","Id":...}`; deleted '
        "transactions stay visible to CDC as stubs",
        "wire format",
        "§5.4, §5.8",
        "official",
    ),
    B(
        "CDC answers one `QueryResponse` per asked entity, in the asked order; an entity "
        "without changes has an empty one (`{}`, `<QueryResponse/>`)",
        "wire format",
        "§5.8 (`[{}]` for no changes); quickbooks-ruby spec/fixtures/"
        "change_data_capture_response.xml (11 asked, 7 empty; tests/parity)",
        "observed",
    ),
    B(
        "Void (Invoice `operation=void`; Payment, SalesReceipt, BillPayment "
        "`operation=update&include=void`) zeroes amounts and prepends `Voided` to PrivateNote",
        "effect",
        "§5.1, §5.4",
        "official",
    ),
    B(
        "Send (`POST /<invoice|estimate|salesreceipt|creditmemo|refundreceipt|purchaseorder>/"
        "<id>/send`, optional `?sendTo=`) answers the entity with `EmailStatus: EmailSent` and "
        "`DeliveryInfo` (`DeliveryType: Email`, `DeliveryTime`); `sendTo` replaces `BillEmail`",
        "effect",
        "§5.1 (XSD OperationEnum `send`); Intuit API reference, Invoice 'Send an invoice' "
        "(DeliveryInfo read-only, 'used to confirm that email has been sent via the send "
        "operation', as quoted in the quickbooks-api npm types)",
        "official",
    ),
    B(
        "Send without `sendTo` mails the transaction's own `BillEmail` (PurchaseOrder: "
        "`POEmail`, also replaced by `sendTo`); the send is a change: new SyncToken and "
        "LastUpdatedTime, an Update webhook event; each send puts one message in the simulated "
        "outbox (`sim.outbox(realm)`, `GET /_sim/outbox`)",
        "effect",
        "qbo-sim's choice (SyncToken bump and PO field unconfirmed)",
        "assumed",
    ),
    B(
        "Send with no address (none given, none on the transaction) answers 2020 `Required "
        "parameter DeliveryAddress.Address is missing in the request`",
        "400 `required_param`",
        "§2.3 2020 (invoice /send); element empty assumed",
        "observed",
    ),
    B(
        "Send with a malformed `sendTo` answers 2210 (element `sendTo`); a deleted "
        "transaction 610 `deleted_transaction`, a missing one 610 `not_found`; other "
        "entities 'Could not find resource'",
        "400 `invalid_email` / `deleted_transaction` / `not_found`",
        "by analogy with the 2210 e-mail check (§2.2) and writes to deleted objects (§2.3 610)",
        "assumed",
    ),
    B(
        "Name-list entities cannot be deleted (`Active: false` instead)",
        "500 `unsupported_operation`",
        "§5.4 (python-quickbooks#294)",
        "observed",
    ),
    B(
        "Unknown path, entity or HTTP method; a URL without a realm (`/v3/company/query`)",
        "500 `unknown_resource`",
        "§1.5 (PHP-SDK#246)",
        "observed",
    ),
    B(
        "A realm segment that is not a realm id (`/v3/company/false/query`), before the token's "
        "realm is compared",
        "6000 `realm_not_a_number`, Detail `Business Validation Error: Unexpected Internal "
        "Error. (-30000)`",
        "§2.3 6000 (node-quickbooks#48)",
        "observed",
    ),
    B(
        "A JSON body that is not UTF-8 (the first bad byte named as Jackson does); an XML body "
        "that is not UTF-8",
        "2010 `invalid_utf8_json` (`Property Name:Invalid UTF-8 middle byte 0x6d ...`); "
        "500 `invalid_utf8` (Xerces text) for XML",
        "§2.3 2010 (QuickBooks-V3-Java-SDK#181); §2.3 500 (DOC-COMMON)",
        "observed",
    ),
    B(
        "`minorversion` absent or below 75 is served as 75; non-numeric is refused",
        "2010 `invalid_property` for non-numeric",
        "§5.6, §8",
        "assumed",
    ),
    B(
        "Query language: SELECT * / COUNT(*), WHERE with AND, =, <, >, <=, >=, IN, LIKE (%), "
        "ORDERBY, STARTPOSITION, MAXRESULTS; case-insensitive keywords and names",
        "`/query` GET and POST",
        "§4.1-§4.3",
        "official",
    ),
    B(
        "Query paging: default 100, max 1000, `maxResults` = rows returned, no rows → "
        "`QueryResponse: {}`, COUNT → `totalCount` only; inactive list objects only when "
        "filtered on Active",
        "wire format",
        "§4.5, §4.6",
        "official",
    ),
    B(
        "Query errors: JavaCC-style parser details (4000), not queryable / too large (4001)",
        "4000 `query_parse`, 4001 `query_validation`",
        "§2.3 4000/4001",
        "observed",
    ),
    B(
        "After the simulated clock is set back, an update, void, delete stub or linked change "
        "stamps `LastUpdatedTime` no earlier than the record's `CreateTime` and previous "
        "`LastUpdatedTime`",
        "effect",
        "§5.2, §5.8",
        "assumed",
    ),
    B(
        "Query statement longer than 100,000 characters (any number of ANDed conditions "
        "below that is answered)",
        "4000 `query_parse` (limit and Detail wording)",
        "§2.3 4000, §8",
        "assumed",
    ),
    B(
        "Batch: up to 30 independent items, per-item `Fault` inside an HTTP 200",
        "1040 `batch_too_large` over 30",
        "§5.7, §8",
        "official",
    ),
    B(
        "Change data capture: changed objects and deleted stubs, 1000 at most, 30-day look-back; "
        "not served for TimeActivity, TaxCode (and JournalCode, TaxAgency, TaxRate)",
        "6000 `business_validation` beyond 30 days; 2000 `invalid_object_name` for an entity "
        "CDC does not serve",
        "§5.8, §8",
        "assumed",
    ),
    B(
        "OAuth 2.0: discovery, authorize (consent page), token exchange (Basic or post), "
        "refresh with rotation (old refresh token valid 24 h), revoke, single-use codes",
        "`invalid_grant` / `invalid_client`",
        "§5.11",
        "official",
    ),
    B(
        "Authorize with a redirect_uri that is not registered, or not an absolute http(s) URL "
        "(`javascript:`, `data:`, `ftp:`, relative; refused even for the any-URI default "
        "client): a page saying so, never a redirect",
        "400 HTML `invalid_request`: The redirect_uri query parameter value is invalid...",
        "Intuit's page text observed (vm0-ai/vm0#25780, unregistered URI); the error name and "
        "the scheme rule assumed",
        "assumed",
    ),
    B(
        "Expired, malformed or revoked access token",
        "401 3200 `token_invalid` (gateway envelope)",
        "§1.3, §2.3 3200",
        "observed",
    ),
    B(
        "Token of another realm; sandbox token on the production host (or back)",
        "401 100 `auth_general`; 403 3100 `wrong_host`",
        "§1.5",
        "observed",
    ),
    B(
        "Throttling: 500/min per realm, 10/s and 10 in flight per realm+app, batch 40/min per "
        "realm+app and 120/min per realm, on the simulated clock; sliding windows",
        "429 `throttled` (XML, no Retry-After)",
        "§5.9, §2.3 3001, §8",
        "official",
    ),
    B(
        "`requestid`: a replay of a success returns the original response without a second "
        "write; faults are not remembered",
        "effect",
        "§5.5, §8",
        "assumed",
        "requestid_retention_hours",
    ),
    B(
        "Outages: 502/503/504 HTML pages from the load balancer (fault injection)",
        "HTML page with intuit_tid",
        "§1.5",
        "observed",
    ),
    B(
        "Envelope variants QBO has been seen to send, on demand (fault injection): a standard "
        'fault in the lower-case envelope `{"fault":{"error":[{"message","detail","code"}],'
        '"type"},"batchItemResponse":[],"attachableResponse":[],"time":<epoch ms>,'
        '"cdcresponse":[]}` (`envelope="lowercase"`; always JSON; `element` only when the '
        "fault names a field, assumed); the older throttle, HTTP 403 XML SERVICE 3001 "
        '`statusCode=403` (`fault="throttled_legacy"`); a 504 as XML SERVICE 6002 "Timeout '
        'occurred while proxying request", no Detail (`fault="proxy_timeout"`)',
        "wire format",
        "quickbooks-ruby PR#612 (6240, lower-case, 2024); python-quickbooks#43 and "
        "quickbooks-ruby#338 (403 throttle, 2016); quickbooks-ruby PR#175 (504/6002, 2014)",
        "observed",
    ),
    B(
        "XML answers for `Accept: application/xml` (or `text/xml`): `<IntuitResponse "
        'xmlns="http://schema.intuit.com/finance/v3" time>`, `domain`/`status`/`sparse` as '
        "attributes, `Id`, `SyncToken`, `MetaData` first, references as "
        '`<CustomerRef name="x">1</CustomerRef>`, repeated elements for lists, '
        "`<QueryResponse startPosition maxResults totalCount>`, `<BatchItemResponse bId>`, "
        "`<CDCResponse>`, amounts with two decimals unless zero (`87.50`, `0`); content type "
        "`application/xml;charset=UTF-8`",
        "wire format",
        "§1.4, §4.6, §5.7, §5.8 (Intuit XML samples; XSD IntuitBaseTypes)",
        "observed",
    ),
    B(
        "XML children in the order of Intuit's XSD (`xs:sequence`, base types first along "
        "`xs:extension`: IntuitEntity → Transaction → SalesTransaction → Invoice; Line, "
        "*LineDetail, addresses, MetaData...), from the committed table "
        "`qbo_sim/schemas/xml_order.json` (`tools/gen_xml_order.py`); fields the XSD does not "
        "know follow, in the JSON entity's order",
        "wire format",
        "XSD Finance.xsd, IntuitBaseTypes.xsd (intuit/QuickBooks-V3-Java-SDK ipp-v3-java-data)",
        "official",
    ),
    B(
        'JSON money amounts that are zero are written `0` (`"Balance":0`, `"TotalTax":0`, '
        '`"Deposit":0`), other amounts as computed (`35.0`, `87.5`)',
        "wire format",
        "§5.12 (`Deposit: 0`); DOC-ENT SalesReceipt/Estimate/CreditMemo samples "
        '(`"Balance": 0`, `"TotalAmt": 35.0`, `"RemainingCredit": 0`)',
        "official",
    ),
    B(
        "`CurrencyRef` on every Customer, Vendor, Account and transaction (TimeActivity has "
        'none): the home currency `{"value": "USD", "name": "United States Dollar"}` '
        "(CurrencyPrefs.HomeCurrency) when the client sends none",
        "computed field",
        "issue 14 (captures of QBO answers); not in the reference; XSD: CurrencyRef on "
        "Transaction, Customer, Vendor, Account",
        "assumed",
    ),
    B(
        "A `CurrencyRef` the client sends is echoed as sent, without a `name`; an update "
        "without one keeps the stored currency",
        "computed field",
        "issue 14; §5.3 (a customer's currency cannot change)",
        "assumed",
    ),
    B(
        "A transaction without `CurrencyRef` takes its customer's or vendor's currency",
        "computed field",
        "docs/research/currency-and-ledger.md A3.14 (quickbooks-online-mcp-server#75: "
        "'defaults to the customer's currency if omitted')",
        "assumed",
    ),
    B(
        "Multicurrency company: `ExchangeRate` 1 on home-currency transactions; "
        "`HomeTotalAmt` (sales forms, Deposit, JournalEntry: 0) and `HomeBalance` (Invoice, "
        "CreditMemo, SalesReceipt, RefundReceipt, Bill) = TotalAmt / Balance × ExchangeRate "
        "rounded half up, HomeBalance following every payment; none in a single-currency "
        "company; served at every minorversion (HomeBalance needs 3, every request is served "
        "as 75 or later)",
        "computed field",
        "docs/research/currency-and-ledger.md A3.16-18 (XSD, DOC-INV, DOC-BILL; rounding assumed)",
        "assumed",
    ),
    B(
        "`GET /exchangerate?sourcecurrencycode=&asofdate=` (asofdate: today), "
        "`POST /exchangerate` (TargetCurrencyCode: the home currency; source = target: rate "
        "1; a stored row needs its SyncToken, 5010 when stale) and `select * from "
        "exchangerate where ...` (SourceCurrencyCode, AsOfDate; `totalCount` in the answer), "
        'answered without `Id`; a currency without a rate is an empty answer `{"time"}`',
        "wire format",
        "docs/research/currency-and-ledger.md A2.8-10 (DOC-XR, DOC-MC); the empty answer's "
        "shape and the company-table-only lookup assumed (fidelity exchange_rate_lookup)",
        "official",
    ),
    B(
        "`PrintStatus`/`EmailStatus` when not sent: Invoice `NeedToPrint`/`NotSet`",
        "computed field",
        "§5.12 (Invoice create sample)",
        "official",
    ),
    B(
        "`PrintStatus`/`EmailStatus` when not sent: SalesReceipt, CreditMemo and Estimate "
        "`NeedToPrint`/`NotSet`",
        "computed field",
        "DOC-ENT SalesReceipt create response, CreditMemo and Estimate sample objects",
        "observed",
    ),
    B(
        "`PrintStatus`/`EmailStatus` when not sent: RefundReceipt and PurchaseOrder "
        "`NotSet`/`NotSet`; a check Purchase (`PaymentType: Check`) `PrintStatus: NotSet`",
        "computed field",
        "XSD (the fields and PrintStatusEnum/EmailStatusEnum values); defaults assumed",
        "assumed",
    ),
    B(
        "Standard faults in XML when XML is asked for: `<Fault type><Error code element>"
        "<Message/><Detail/></Error></Fault>`; gateway, throttle and outage bodies keep their "
        "own forms",
        "XML `Fault`",
        "§1.4 (PHP-SDK#241)",
        "observed",
    ),
    B(
        "No Accept header (or `*/*`): QBO answers XML; qbo-sim answers JSON unless the "
        "company's `default_content_type` is `xml`",
        "wire format",
        "§1.4",
        "assumed",
        "default_content_type",
    ),
    B(
        "XML request bodies (`Content-Type: application/xml` or `text/xml`) for entity writes "
        "and `<IntuitBatchRequest>`, read into the JSON dict (lists, numbers and booleans typed "
        'from the schema, `sparse="true"` attribute) and validated the same way',
        "same faults as JSON",
        "§5.1, §5.7 (Intuit batch XML sample)",
        "official",
    ),
    B(
        "Malformed XML body, one with a `<!DOCTYPE`/entity declaration (no DTDs, no entity "
        "expansion), an unknown `encoding`, or (XML or JSON) nested deeper than 64 levels: "
        "refused, nothing written",
        "2010 `malformed_json` (no capture of QBO's XML parse error)",
        "§2.3 2010, §8",
        "assumed",
    ),
    B(
        "A string holding a character XML 1.0 cannot carry (control characters such as NUL, "
        "`\\u0001`, ESC; U+FFFE, U+FFFF), in any field of a write: refused, nothing written (a "
        "key of an open object that is not an XML name: 2010). XML answers leave out such "
        "characters (and such keys) whatever the store holds, so they are always well-formed",
        "2040 `invalid_string`, element = the field path",
        "§2.2 2040, §8",
        "assumed",
    ),
    B(
        "Webhooks: every committed write of a supported entity (API, batch item, QBO user, "
        "linked effect) is an event Create / Update / Delete / Void with `lastUpdated` "
        "(offset without colon); legacy `eventNotifications` body, one realm per notification",
        "POST to subscribed endpoints",
        "§5.10",
        "official",
    ),
    B(
        "Webhook `intuit-signature` = base64(HMAC-SHA256(verifier token, raw body)) and the "
        "intuit-* / user-agent headers; `verify_signature` as python-quickbooks",
        "header",
        "§5.10 (PY-QB)",
        "official",
    ),
    B(
        "Webhook delivery: acknowledged by 200 within 3 s, else retried 10 s, 20 s, 30 s, 5 min, "
        "20 min, 2 h, 4 h, 6 h, then every 6 h on the simulated clock; later events held",
        "retry schedule",
        "§5.10",
        "official",
    ),
    B(
        "CloudEvents webhook format: verbs beyond `created` (updated, deleted, voided), `source`, "
        "`time` precision; retries counted from the previous attempt; no event for a change "
        "CDC would not report (LastUpdatedTime and SyncToken unchanged)",
        "JSON array of events",
        "§5.10, §7.7",
        "assumed",
    ),
    B(
        "Webhook re-delivery of an acknowledged notification, same body and signature "
        "(`sim.webhooks.duplicate_next`, scenario `deliver_webhooks: {duplicate: n}`)",
        "POST sent twice",
        "§5.10 (events may repeat / arrive out of order; a re-delivery was not captured)",
        "assumed",
    ),
    B(
        "QBO user merges two customers, vendors or items (`QboUser.merge`, qbo_user `merge`): "
        "webhook `Merge` event with `id` = survivor and `deletedId` = the merged-away entity "
        "(legacy), `qbo.customer.merged.v1` with `data.deletedid` (CloudEvents); merge is "
        "supported for Customer and Vendor (current table) and Item (2016 doc)",
        "one Merge event",
        "§5.10; developer.intuit.com webhooks 'Understanding the data object' (customer merged)",
        "official",
    ),
    B(
        "Merge (a user renames one to the other's exact name and confirms): the merged-away "
        "entity becomes inactive ('like all deleted customers') and its transactions move to "
        "the survivor; customers with sub-customers cannot be merged until those are made "
        "regular customers",
        "inactive; transactions relinked; merge refused with sub-customers",
        "quickbooks.intuit.com learn-support 'Merge duplicate customers in QuickBooks Online'",
        "official",
    ),
    B(
        "After a merge the merged-away entity's name is suffixed ` (deleted)` (so the name is "
        "free again); each relinked transaction gets a new SyncToken and an Update event; "
        "vendors and items merge the same way as customers",
        "renamed; Update events",
        "as deleted/inactive names (rules/names.py); by analogy with customers",
        "assumed",
    ),
    B(
        "`GET /<invoice|estimate|salesreceipt|creditmemo|refundreceipt|purchaseorder>/<id>/pdf`"
        " answers the transaction as a PDF (`Content-Type: application/pdf`) whatever `Accept` "
        "asks; in-process (`sim.mock()`) the bytes arrive intact",
        "200 PDF body",
        "developer.intuit.com API reference, 'Get an invoice as PDF' (and the same operation "
        "of the five other entities)",
        "official",
    ),
    B(
        "The PDF is qbo-sim's own one-page sheet (PDF 1.4, Helvetica; title, company name, "
        "customer or vendor, DocNumber, TxnDate, one row per line with description, quantity "
        "and amount, total; rows beyond one page summarised), not QBO's layout: QBO formats "
        "it 'according to custom form styles in the company settings', which is not simulated",
        "PDF content",
        "qbo_sim/pdf.py; Intuit's operation description for the real layout",
        "assumed",
    ),
    B(
        "`/pdf` of a missing or deleted transaction answers as its read (400 610 Object Not "
        "Found); `/pdf` of an entity without one (customer, bill...) is an unknown resource",
        "`not_found`; `unknown_resource`",
        "§8 read of a non-existent id; §1.5 (unknown path)",
        "assumed",
    ),
    # --- the ledger (docs/research/currency-and-ledger.md part B) -----------------------
    B(
        "`Account.CurrentBalance` follows every posting transaction: invoices and credit memos "
        "post A/R against their lines' income accounts, payments the deposit account against "
        "A/R, sales and refund receipts their deposit account, bills and vendor credits A/P, "
        "bill payments A/P against the bank or card, purchases their bank or card (a card "
        "`Credit` reversed), deposits the bank against their lines (a deposited payment: "
        "Undeposited Funds), transfers, journal entries by PostingType; a void or delete takes "
        "the postings out, an update re-posts, a refused write moves nothing",
        "CurrentBalance",
        "standard QBO posting (the Transaction Journal report); DOC-PAY (Undeposited Funds "
        "default); the sheet's table B6",
        "assumed",
    ),
    B(
        "Only balance-sheet accounts carry a balance (income and expense read 0), shown as "
        "debits minus credits (a payable owed is negative; fidelity `liability_sign`), "
        "`CurrentBalanceWithSubAccounts` adding the sub-accounts'; a balance change keeps the "
        "account's SyncToken and MetaData; foreign amounts post × ExchangeRate to the account "
        "of their currency, whose balance is shown in the home currency (assumed: the sheet's "
        "B29 expects the account's own currency, unconfirmed); with no A/R or A/P account in "
        "the company that side is not posted (QBO would create one: not simulated)",
        "CurrentBalance",
        "DOC-ACC ('Valid for Balance Sheet accounts'); captured accounts (A/P -1602.67, Opening "
        "Balance Equity -10.00, income 0); SyncToken kept assumed",
        "observed",
    ),
    # --- attachments (docs/research/attachable.md) -------------------------------------
    B(
        "`POST /upload` (multipart/form-data): each `file_content_<nn>` part is a file, paired "
        "by its suffix (any string) with an optional `file_metadata_<nn>` Attachable (JSON or "
        "XML); several files per request; CRLF or LF line ends and "
        "`Content-Transfer-Encoding: base64` parts read as sent (python-quickbooks, PHP SDK)",
        '200 `{"AttachableResponse":[{"Attachable"}|{"Fault"}],"time"}` in part order',
        "DOC-ATT; recorded answers (minimul/qbo_api VCR 2020, Java SDK fixture of two files)",
        "official",
    ),
    B(
        "A file whose metadata or link is refused fails alone: its item is a `Fault` (e.g. 6000 "
        '"The entity Estimate 75 that you are trying to link does not exist"), the others are '
        "stored, the answer is HTTP 200; nothing of a refused file is kept",
        "per-item Fault",
        "minimul/qbo_api VCR error_estimate.yml (one file); mixed answers assumed",
        "observed",
    ),
    B(
        "An upload over 100 MB in all (6030), without Content-Length (6020), not multipart or "
        "with an unnamed part (1050) is refused whole, HTTP 400; a file of a type outside "
        "DOC-ATT's 17 approved ones, typed `application/octet-stream`, empty, or metadata "
        "without a file is its item's 6041; metadata that is not an Attachable is 6040",
        "6020, 6030, 6040, 6041, 1050",
        "DOC-ERR (codes, texts), DOC-ATT (limit, types), codat-docs PR#1204 (octet-stream); "
        "which file gets 6041 and the request-level statuses are assumed",
        "assumed",
    ),
    B(
        "A stored file's Attachable carries `FileName`, `ContentType` (the part's, `image/jpg` "
        "answered `image/jpeg`), `Size`, `FileAccessUri` `/v3/company/<realm>/download/<id>` "
        "and a `TempDownloadUri` signed anew on every read for 15 minutes (`X-Amz-Expires=900`) "
        "on Intuit's S3 host in-process (`intuit-qbo-prod-23.s3.amazonaws.com`) or on the "
        "server itself; Ids are long numbers (`5000000000000000001`...)",
        "read-time links",
        "DOC-ATT (15 minutes); recorded answers (URI shapes, re-signing, Ids)",
        "observed",
    ),
    B(
        "The link serves the bytes as uploaded with their content type, no Authorization; "
        "after 15 simulated minutes 403 S3 `AccessDenied` 'Request has expired', altered "
        "403 `SignatureDoesNotMatch`, after the Attachable is deleted 403 `AccessDenied`; "
        "`GET /download/<id>` answers the bare link as text (610 for a note or unknown id)",
        "bytes; S3 XML errors",
        "DOC-ATT (download step); AWS S3 error responses; deleted-object and note answers assumed",
        "assumed",
    ),
    B(
        "`POST /attachable` creates a note (or links an existing upload), answered "
        '`{"Attachable"}`; updates are full even with `"sparse": true` (omitted FileName, Note, '
        "ContentType are cleared; Size and the links are the server's); a delete needs only "
        "the Id; links get `IncludeOnSend: false` and the target's own spelling of its type",
        "full update; delete by Id",
        "DOC-ATT (full update only); node-quickbooks#245 (2025: sparse clears fields); "
        "minimul/qbo_api VCR delete_attachment.yml (Id alone)",
        "observed",
    ),
    B(
        "Queries filter on `AttachableRef.EntityRef.Type` (case-insensitively) and "
        "`AttachableRef.EntityRef.value`, each matching when any one of an Attachable's links "
        "does; FileName, Note, Category, ContentType, PlaceName, Lat, Long, Tag, Size filter "
        "and sort",
        "query",
        "DOC-ATT (filterable list, sample query); PHP-SDK#477 ('customer' matched 'Customer'); "
        "per-link pairing of the two filters assumed",
        "assumed",
    ),
    B(
        "Attachable changes are served by CDC and send no webhook events",
        "feeds",
        "DOC-CDC (excluded entities list); Intuit's webhooks entity table (Attachable absent)",
        "official",
    ),
    B(
        "A link may name a transaction, an Item, a Customer, a Vendor or an Employee (6050 "
        "for another type, 2020 `EntityRef.type` when it has none); the target must exist",
        "6050, 2020, 6000",
        "DOC-ATT ('a transaction or Item object'); Customer (PHP-SDK#477) and Vendor "
        "(python-quickbooks) links seen; Employee and the 2020 assumed",
        "assumed",
    ),
]

MECHANICS += [
    B(
        "Reports `GET /reports/<Name>` (ProfitAndLoss, BalanceSheet, AgedReceivables, "
        "AgedReceivableDetail, AgedPayables, AgedPayableDetail, CustomerBalance, "
        "VendorBalance, TransactionList, GeneralLedger): the report JSON body itself, or "
        "`<Report>` XML; Header with Option (`NoReportData`, `report_date`), Columns, nested "
        "Rows with Summary and `group`",
        "wire format",
        "docs/research/reports.md §1-2 (Intuit's samples; quickbooks-ruby captured reports)",
        "official",
    ),
    B(
        "Report figures from the ledger and the open balances: BalanceSheet accounts equal "
        "Account.CurrentBalance, aging and balance totals equal Customer/Vendor.Balance",
        "effect",
        "docs/research/reports.md §4",
        "assumed",
    ),
    B(
        "Report defaults: This Fiscal Year-to-date (P&L, BalanceSheet, GeneralLedger), today "
        "(aging), all (balances), This Month-to-date (TransactionList); DateMacro echoed in "
        "lower case, omitted for explicit dates",
        "report",
        "docs/research/reports.md §3 (quickbooks-ruby#432, captured AgedPayableDetail; "
        "TransactionList and GeneralLedger defaults assumed)",
        "observed",
    ),
    B(
        "Report parameters: a bad or inverted date answers 2070, a bad accounting_method, "
        "summarize_column_by or date_macro 2170, a bad aging_period/num_periods 2090 "
        "(`element` the parameter); an unknown report 500 Unsupported Operation",
        "2070, 2170, 2090, 500",
        "docs/research/reports.md §3 (no captured report fault)",
        "assumed",
    ),
    B(
        "Report cash basis moves invoice and bill income and expense to the payments' dates "
        "in proportion; class/customer/department filters and list columns select whole "
        "transactions (header or any line's reference)",
        "report",
        "docs/research/reports.md §4",
        "assumed",
    ),
]

NOT_SIMULATED: list[str] = [
    "XML request bodies in a DTD-declared or non-UTF-8 encoding (refused); `xsi:type`, "
    "`ReportQuery` and `CDCQuery` batch items; XML for OAuth and control-plane answers.",
    "Entities beyond the 30 listed: Budget, TaxClassification; reports beyond the ten "
    "served, and their `columns`, `sort_by`, `group_by` parameters; jobs nested under their "
    "parent in the aging reports; `summarize_column_by` Vendors, Employees and "
    "ProductsAndServices (answered as Total).",
    "Attachment thumbnails (`ThumbnailFileAccessUri`), the `AttachableRef.NoRefOnly` and "
    "`Inactive` query filters, `LineInfo` links to one line, and the files of "
    "`IncludeOnSend` links in sent e-mail (the outbox records the message only).",
    "QBO's PDF layout (custom form styles, logo, addresses, terms, tax summary, several "
    "pages): `/pdf` answers a plain one-page sheet of the transaction.",
    "TimeActivity linked to invoices (HasBeenBilled set by invoicing); in the ledger: "
    "account opening balances, exchange gains and losses. Inventory: the Inventory "
    "Valuation reports, assembly items, `ShippingAdjustment` (kept, posts no revenue), the "
    "SKU gate (Plus and Advanced only) and a minor-version gate on InventoryAdjustment, a "
    "true-up of units sold into negative stock when they are bought later.",
    "Address `Id`s and geocoding (`Lat`/`Long`) of stored addresses; a SubTotalLineDetail "
    "line kept mid-list (it is always written last); `LineEx` on payment lines (tests/parity "
    "shows all three in captured QBO bodies).",
    "Intuit's real automated sales tax engine (an assumed rate table stands in), shipping "
    "tax, JournalEntry tax lines and US purchase tax.",
    "Intuit's GraphQL Project API (projects are made by the QBO user), project estimates, "
    "budgets and profitability; bundle price edits on a form (the parts' own UnitPrice).",
    "Multi-currency: QBO's global market exchange rates (only the company's own rates are "
    "looked up), exchange gain or loss on payments, `HomeBalance` of payment lines, "
    "price levels, webhook events for the currency list (QBO names them `Currency`).",
]
