"""THE error catalogue: every QBO error qbo-sim can produce, in one place.

Each entry is data (code, ``Fault.type``, Message, Detail template, default ``element``, HTTP
status, envelope) with its source in ``shared/qbo-reference.md`` and a confidence:

- ``official``: Intuit documentation, blog or SDK;
- ``observed``: a real QBO response captured in a public issue or fixture;
- ``assumed``: qbo-sim's choice where QBO is unconfirmed (reference §8); every assumed entry is
  listed in the fidelity table in ``docs/fidelity.md``.

Code raises ``QBOFault("duplicate_name", id="42")``; only :mod:`qbo_sim.serialize` turns a
fault into a response body. Views never build error bodies by hand.

Envelopes:

- ``standard``: ``{"Fault": {"Error": [...], "type": ...}, "time": ...}`` (§1.1);
- ``gateway``: the lower-case gateway body with epoch-millisecond ``time`` (§1.3);
- ``xml``: ``<IntuitResponse><Fault>`` XML, used by the throttle (§2.3 3001);
- ``html``: an HTML outage page from the load balancer (§1.5, 502/503);
- ``s3``: Amazon S3's ``<Error><Code/><Message/></Error>`` XML, for the attachment download
  links, which S3 serves, not QBO (``code`` is S3's Code).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Literal

from qbo_sim.errors import SimError

Envelope = Literal["standard", "gateway", "xml", "html", "s3"]
Confidence = Literal["official", "observed", "assumed"]

#: The long "made inactive" detail used by 610 and some 2500 responses (§2.3).
MADE_INACTIVE = (
    "Something you're trying to use has been made inactive. "
    "Check the fields with accounts, customers, items, vendors or employees."
)


@dataclass(frozen=True)
class FaultSpec:
    """One catalogue entry."""

    key: str
    code: str
    type: str
    message: str
    detail: str | None
    status: int
    source: str
    confidence: Confidence
    element: str | None = ""
    envelope: Envelope = "standard"

    def params(self) -> list[str]:
        """The names its ``Detail`` template needs (``{element}`` is filled from the rule's
        element, so it is not one of them), sorted."""
        fields = string.Formatter().parse(self.detail or "")
        return sorted({name for _, name, _, _ in fields if name and name != "element"})

    def to_dict(self) -> dict[str, Any]:
        """The entry as the control plane lists it (``GET /_sim/faults/catalogue``)."""
        return {
            "key": self.key,
            "code": self.code,
            "type": self.type,
            "status": self.status,
            "message": self.message,
            "detail": self.detail,
            "params": self.params(),
            "element": self.element,
            "envelope": self.envelope,
            "source": self.source,
            "confidence": self.confidence,
        }

    def render_detail(self, params: dict[str, Any]) -> str | None:
        if self.detail is None:
            return None
        try:
            return self.detail.format(**params)
        except KeyError as missing:  # say which fault needs what, not just the bare name
            raise KeyError(
                f"fault {self.key!r} needs param {missing.args[0]!r} for its Detail {self.detail!r}"
            ) from None


def _f(
    key: str,
    code: str,
    type_: str,
    message: str,
    detail: str | None,
    status: int,
    source: str,
    confidence: Confidence,
    *,
    element: str | None = "",
    envelope: Envelope = "standard",
) -> FaultSpec:
    return FaultSpec(
        key, code, type_, message, detail, status, source, confidence, element, envelope
    )


V = "ValidationFault"

CATALOGUE: dict[str, FaultSpec] = {
    spec.key: spec
    for spec in [
        # --- authentication / gateway (§1.3, §1.5, §5.11) ---------------------------------
        _f(
            "token_invalid",
            "3200",
            "AUTHENTICATION",
            "message=AuthenticationFailed; errorCode=003200; statusCode=401",
            None,
            401,
            "§1.3, §2.3 3200 (python-quickbooks#250, #118)",
            "observed",
            element=None,
            envelope="gateway",
        ),
        _f(
            "wrong_host",
            "3100",
            "SERVICE",
            "message=AuthorizationFailed; errorCode=003100; statusCode=403",
            None,
            403,
            "§1.5 3100 (oauth-jsclient#2, node-quickbooks#154)",
            "observed",
            element=None,
            envelope="gateway",
        ),
        _f(
            "insufficient_scope",
            "3100",
            "SERVICE",
            "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403",
            "The access token does not have sufficient scope",
            403,
            "§1.5 3100 (minimul/qbo_api#138)",
            "observed",
            element=None,
            envelope="gateway",
        ),
        _f(
            "gateway_error",
            "3100",
            "SERVICE",
            "message=InternalServerError; errorCode=003100; statusCode=500",
            None,
            500,
            "§1.5 (python-quickbooks#106)",
            "observed",
            element=None,
            envelope="gateway",
        ),
        _f(
            "auth_general",
            "100",
            "AuthenticationFault",
            "General Authentication Error",
            "AuthenticationErrorGeneral: SRV-110-Authentication Failure , statusCode: 401",
            401,
            "§1.5 100 (oauth-jsclient#91, python-quickbooks#120)",
            "observed",
        ),
        _f(
            "authorization_failure",
            "120",
            "AuthorizationFault",
            "Authorization Failure",
            "AuthorizationFailure: {reason}",
            401,
            "§2.2 120, BLOG-TOPERR status",
            "official",
        ),
        _f(
            "throttled",
            "3001",
            "SERVICE",
            "message=ThrottleExceeded; errorCode=003001; statusCode=429",
            "The request limit was reached.  Try again later",
            429,
            "§2.3 3001 (beanworks sdk#6, quickbooks-ruby PR#348)",
            "observed",
            element=None,
            envelope="xml",
        ),
        # Seen before ~Dec 2016 (and what clients must still survive): the same throttle
        # fault with HTTP 403 and statusCode=403, XML despite Accept: application/json.
        # Injection only (fault="throttled_legacy"); qbo-sim's own throttle answers 429.
        _f(
            "throttled_legacy",
            "3001",
            "SERVICE",
            "message=ThrottleExceeded; errorCode=003001; statusCode=403",
            "The request limit was reached.  Try again later",
            403,
            "§2.3 3001 (python-quickbooks#43, quickbooks-ruby#338: the older 403 throttle)",
            "observed",
            element=None,
            envelope="xml",
        ),
        # A 504 answered by the proxy as an XML SERVICE fault, no Detail (injection only;
        # an injected status=504 is the load balancer's HTML page instead).
        _f(
            "proxy_timeout",
            "6002",
            "SERVICE",
            "message=Timeout occurred while proxying request; errorCode=006002; statusCode=504",
            None,
            504,
            "quickbooks-ruby PR#175 (captured 2014-10-23); failure census item 16",
            "observed",
            element=None,
            envelope="xml",
        ),
        # --- unsupported operations and request shape (§1.5, §2.3) -------------------------
        _f(
            "unsupported_operation",
            "500",
            V,
            "Unsupported Operation",
            "Operation {operation} is not supported.",
            400,
            "§2.2 500, §5.4",
            "official",
        ),
        _f(
            "unknown_resource",
            "500",
            V,
            "Unsupported Operation",
            "Operation Could not find resource for relative : {path} of full path: {url} "
            "is not supported.",
            400,
            "§1.5 (PHP-SDK#246)",
            "observed",
        ),
        # An XML body that is not UTF-8: the Xerces parser's text (Intuit's "handling common
        # errors" page, DOC-COMMON). JSON bodies answer ``invalid_utf8_json`` instead.
        _f(
            "invalid_utf8",
            "500",
            V,
            "Unsupported Operation",
            "Operation com.sun.org.apache.xerces.internal.impl.io.MalformedByteSequenceException:"
            " Invalid byte 1 of 1-byte UTF-8 sequence is not supported.",
            400,
            "§2.3 500 (DOC-COMMON); XML bodies",
            "official",
        ),
        # A JSON body that is not UTF-8: Jackson's message for the first bad byte. Captured
        # (intuit/QuickBooks-V3-Java-SDK#181, 2022, a Latin-1 "Rémi" in a Customer create):
        # "HTTP/1.1 400 Bad Request ... ERROR CODE:2010, ERROR MESSAGE:Request has invalid or
        # unsupported property, ERROR DETAIL:Property Name:Invalid UTF-8 middle byte 0x6d
        # specified is unsupported or invalid" (0x6d is the "m" after the lone 0xE9). No
        # element: the response's Content-Length 251 fits a body without one (§1.1: 2010
        # carries none). ``problem``: "Invalid UTF-8 middle byte 0x<hex>" or "Invalid UTF-8
        # start byte 0x<hex>" (Jackson's two texts; lower-case hex, not zero-padded).
        _f(
            "invalid_utf8_json",
            "2010",
            V,
            "Request has invalid or unsupported property",
            "Property Name:{problem} specified is unsupported or invalid",
            400,
            "§2.3 2010 (QuickBooks-V3-Java-SDK#181)",
            "observed",
            element=None,
        ),
        _f(
            "invalid_property",
            "2010",
            V,
            "Request has invalid or unsupported property",
            "Property Name:{name} specified is unsupported or invalid",
            400,
            "§2.3 2010 (python-quickbooks#80, node-quickbooks#39)",
            "observed",
            element=None,
        ),
        _f(
            "malformed_json",
            "2010",
            V,
            "Request has invalid or unsupported property",
            "Property Name:failed to parse json object; a property specified is unsupported "
            "or invalid",
            400,
            "§2.3 2010 (DotNET-SDK#376)",
            "observed",
            element=None,
        ),
        _f(
            "invalid_object_name",
            "2000",
            V,
            "Invalid or unsupported object name",
            "Object Name: {name}",
            400,
            "§2.2 2000",
            "official",
        ),
        # --- field validation (§2.2, §2.3, §3) ----------------------------------------------
        _f(
            "required_param",
            "2020",
            V,
            "Required param missing, need to supply the required value for the API",
            "Required parameter {name} is missing in the request",
            400,
            "§2.3 2020 (python-quickbooks PR#257); element = the field (fo_qbo capture)",
            "observed",
        ),
        _f(
            "invalid_id",
            "2030",
            V,
            "Invalid ID",
            "Id should be a valid number. Supplied value:{value}",
            400,
            "§2.2 2030",
            "assumed",
        ),
        _f(
            "invalid_string",
            "2040",
            V,
            "Invalid String",
            "Element contains invalid characters: {value}",
            400,
            "§2.2 2040, §8",
            "assumed",
        ),
        _f(
            "string_length",
            "2050",
            V,
            "String length is either shorter or longer than supported by specification",
            "String length specified does not match the supported length. Min:0 Max:{max} "
            "supported. Supplied length: {length}",
            400,
            "§2.3 2050 (quickbooks-ruby PR#436)",
            "observed",
        ),
        _f(
            "invalid_date",
            "2070",
            V,
            "Invalid Date",
            "Supplied value: {value}",
            400,
            "§2.2 2070",
            "official",
        ),
        _f(
            "invalid_number",
            "2090",
            V,
            "Invalid Number",
            "Supplied value: {value}",
            400,
            "§2.2 2090",
            "assumed",
        ),
        _f(
            "invalid_enum",
            "2170",
            V,
            "Invalid Enumeration",
            "Invalid Enumeration: {value}",
            400,
            "§2.3 2170 (BLOG-TOPERR)",
            "official",
        ),
        _f(
            "number_range",
            "2240",
            V,
            "Invalid Number Range",
            "Supplied value: {value}",
            400,
            "§2.2 2240, §3.1 Term/Item limits, §5.12 Payment TotalAmt non-negative; "
            "Detail from DOC-ERR (fault-strings.md)",
            "assumed",
        ),
        _f(
            "invalid_email",
            "2210",
            V,
            "Invalid Email Address Format",
            "Email Address does not conform to the syntax rules of RFC 822.",
            400,
            "§2.2 2210",
            "official",
        ),
        _f(
            "invalid_boolean",
            "2230",
            V,
            "Invalid Boolean",
            "Supplied value: {value}",
            400,
            "§2.2 2230",
            "assumed",
        ),
        _f(
            "missing_lines",
            "2250",
            V,
            "Missing lines",
            "You must enter at least one split line.",
            400,
            "§2.2 2250",
            "official",
        ),
        _f(
            "unbalanced_journal",
            "2300",
            V,
            "Amount on debits not equal to credits",
            "A journal entry you created or updated unbalanced an account. Balance the debits "
            "and credits for the account.",
            400,
            "§2.2 2300; Detail from DOC-ERR",
            "official",
        ),
        _f(
            "invalid_reference",
            "2500",
            V,
            "Invalid Reference Id",
            "Invalid Reference Id : {element}",
            400,
            "§2.3 2500 (PHP-SDK#102), §8",
            "observed",
        ),
        # --- objects, links, concurrency (§2.3, §5.3, §8) ----------------------------------
        _f(
            "made_inactive",
            "610",
            V,
            "Object Not Found",
            "Object Not Found : " + MADE_INACTIVE,
            400,
            "§2.3 610 (DOC-COMMON, DotNET-SDK#353)",
            "official",
        ),
        _f(
            "deleted_transaction",
            "610",
            V,
            "Object Not Found",
            "Object Not Found : Another user has deleted this transaction.",
            400,
            "§2.3 610 (node-quickbooks#21)",
            "observed",
        ),
        _f(
            "not_found",
            "610",
            V,
            "Object Not Found",
            "Object Not Found : " + MADE_INACTIVE,
            400,
            "§8 read of a non-existent id (DOC-BATCH sample)",
            "assumed",
        ),
        _f(
            "linked_txn_deleted",
            "610",
            V,
            "Object Not Found",
            "Object Not Found : Something you're trying to use has been deleted. Check the "
            "fields with accounts, customers, items, vendors or employees.",
            400,
            "§2.3 610 variant (quickbooks-ruby#277: Payment LinkedTxn to a bad id)",
            "observed",
        ),
        _f(
            "inactive_reference",
            "2500",
            V,
            "Invalid Reference Id",
            "Invalid Reference Id : " + MADE_INACTIVE,
            400,
            "§2.3 2500 (PHP-SDK#110, #95); used when fidelity inactive_reference_fault='2500'",
            "observed",
        ),
        _f(
            "txn_cannot_be_linked",
            "620",
            V,
            "TxnID Cannot Be Linked",
            "The Txn ID (identified by {txn_id}) you're trying to use can't be linked.",
            400,
            "§2.3 620, §8; Detail from DOC-ERR (docs/research/fault-strings.md)",
            "assumed",
            element="Payment.Line.LinkedTxn.TxnId",
        ),
        _f(
            "stale_object",
            "5010",
            V,
            "Stale Object Error",
            "Stale Object Error : You and {user} were working on this at the same time. "
            "{user} finished before you did, so your work was not saved.",
            400,
            "§2.3 5010 (DOC-BATCH, python-quickbooks#127)",
            "official",
        ),
        _f(
            "query_parse",
            "4000",
            V,
            "Error parsing query",
            "QueryParserError: {detail}",
            400,
            "§2.3 4000 (node-quickbooks#56; no element in the observed bodies)",
            "observed",
            element=None,
        ),
        _f(
            "query_validation",
            "4001",
            V,
            "Invalid query",
            "QueryValidationError: {detail}",
            400,
            "§2.3 4001 (quickbooks-ruby#403, #24; no element in the captured body: "
            "quickbooks-ruby spec/fixtures/query_validation_error.xml, tests/parity)",
            "observed",
            element=None,
        ),
        _f(
            "query_processing",
            "4002",
            V,
            "Error processing query",
            "QueryProcessingError: {detail}",
            400,
            "§2.3 4002",
            "observed",
            element=None,
        ),
        # --- business rules (§2.3, §8) -----------------------------------------------------
        _f(
            "business_validation",
            "6000",
            V,
            "A business validation error has occurred while processing your request",
            "Business Validation Error: {detail}",
            400,
            "§2.3 6000",
            "official",
        ),
        # A realm segment that is not a realm id. Captured (mcohen01/node-quickbooks#48, 2016):
        # every call answered {Message: 'A business validation error has occurred while
        # processing your request', Detail: 'Business Validation Error: Unexpected Internal
        # Error. (-30000)', code: '6000', element: ''}; cause: "I forgot the realmId in the
        # parameter list", so node-quickbooks put the next argument (``false``) in the URL,
        # ``/v3/company/false/...`` (its OAuth 1 token was good). The URL with no realm
        # segment at all is ``unknown_resource`` (PHP-SDK#246). Status 400 as for every 6000.
        _f(
            "realm_not_a_number",
            "6000",
            V,
            "A business validation error has occurred while processing your request",
            "Business Validation Error: Unexpected Internal Error. (-30000)",
            400,
            "§2.3 6000 (node-quickbooks#48)",
            "observed",
        ),
        # --- multi-currency (docs/research/currency-and-ledger.md part A) --------------------
        # Captured on Customer and Vendor create in companies without multicurrency (a
        # Salesforce middleware log; three integrators' code comments): sheet A4.20. The
        # element is not captured (sheet A4.21: "the sim can return ''").
        _f(
            "multicurrency_off",
            "6000",
            V,
            "A business validation error has occurred while processing your request",
            "Business Validation Error: Multi Currency should be enabled to perform this operation",
            400,
            "docs/research/currency-and-ledger.md A4.20 (Salesforce middleware log; "
            "integrators' code comments)",
            "observed",
        ),
        # A transaction in another currency than its customer's/vendor's (VYLAN §18: USD bills
        # to a CAD and an HKD vendor; Salesforce capture: an EUR invoice to a USD customer;
        # Expensify/App#53932), also a line account in a third currency (Expensify/App#70500).
        _f(
            "one_foreign_currency",
            "6000",
            V,
            "A business validation error has occurred while processing your request",
            "Business Validation Error: You can only use one foreign currency per transaction.",
            400,
            "docs/research/currency-and-ledger.md A4.21 (VYLAN §18, Salesforce capture, "
            "Expensify/App#53932, #70500)",
            "observed",
        ),
        # QBO's own typo ("Curreny") kept (VYLAN §18: a USD bill in a CAD company, no rate);
        # given when fidelity ``missing_exchange_rate`` is ``fault_2410``.
        _f(
            "exchange_rate_missing",
            "2410",
            V,
            "Curreny, ExchangeRate is missing.",
            "The currency and exchange rate are required for transaction in foreign currency.",
            400,
            "docs/research/currency-and-ledger.md A3.15 (VYLAN §18)",
            "observed",
        ),
        # 2220 is in Intuit's error catalogue with no capture; used for a code that is not an
        # ISO 4217 currency QBO knows (sheet A4.25: assumed).
        _f(
            "invalid_currency",
            "2220",
            V,
            "Invalid Currency Type",
            "Invalid Currency Type : {value}",
            400,
            "docs/research/currency-and-ledger.md A4.25 (2220 in the catalogue, reference "
            "§2.2); when it is given and the Detail: assumed",
            "assumed",
        ),
        # DOC-XR: "Setting an exchange rate for the home currency ... results in a validation
        # error"; its code and text are not documented (sheet A2.10: 6000 likely).
        _f(
            "exchange_rate_home",
            "6000",
            V,
            "A business validation error has occurred while processing your request",
            "Business Validation Error: The exchange rate of the home currency ({currency}) "
            "cannot be set.",
            400,
            "docs/research/currency-and-ledger.md A2.10 (DOC-XR: 'a validation error'); code "
            "and Detail assumed",
            "assumed",
        ),
        # The text is quoted by help.syncwithconnex.com ("QuickBooks Online Error Messages");
        # the code (6000) is presumed (sheet A4.22).
        _f(
            "currency_account_mismatch",
            "6000",
            V,
            "A business validation error has occurred while processing your request",
            "Business Validation Error: The transaction needs to be in the same currency as the "
            "A/R and A/P accounts you use.",
            400,
            "docs/research/currency-and-ledger.md A4.22 (text: help.syncwithconnex.com; code "
            "presumed)",
            "assumed",
        ),
        # --- sales tax (docs/research/sales-tax.md §3, §4) -----------------------------------
        # A non-US line without a tax code: the Detail names the locale's tax (CA "GST/HST"
        # activepieces#8539, full JSON 2025; UK "VAT" quickbooks-online-mcp-server#94; the AU,
        # IN and FR words are assumed: qbo_sim.derive.tax_model.TAX_NAMES).
        _f(
            "missing_line_taxcode",
            "6000",
            V,
            "A business validation error has occurred while processing your request",
            "Business Validation Error: Make sure all your transactions have a {tax_name} rate "
            "before you save.",
            400,
            "sales-tax.md §3 (activepieces#8539, quickbooks-online-mcp-server#94, "
            "quickbooks-ruby#351)",
            "observed",
        ),
        # The 2016 wording of the same (fidelity missing_taxcode_wording "2016").
        _f(
            "missing_line_taxcode_2016",
            "6000",
            V,
            "A business validation error has occurred while processing your request",
            "Business Validation Error: One or more transaction lines do not have a tax code "
            "associated with it. Please assign a tax code for those lines",
            400,
            "sales-tax.md §3 (quickbooks-ruby#322, CA 2016)",
            "observed",
        ),
        # QBO's tax engine failing on a rate (observed for CA, UK and US companies); qbo-sim
        # answers it for an inactive tax code when fidelity inactive_taxcode_fault is "6000".
        _f(
            "tax_calculation_failed",
            "6000",
            V,
            "A business validation error has occurred while processing your request",
            "Business Validation Error: We're sorry, QuickBooks encountered an error while "
            "calculating tax. Try reselecting the tax rate or reentering the product/service "
            "item and saving the form again.",
            400,
            "sales-tax.md §3 (quickbooks-ruby#369, #426, PHP-SDK#472, #48)",
            "observed",
        ),
        # A TaxLine sent without DetailType: the integrator reports a "Business Validation
        # Error" with this text (ruby#529); the code 6000 is assumed.
        _f(
            "taxline_detail_type_missing",
            "6000",
            V,
            "A business validation error has occurred while processing your request",
            "Business Validation Error: TxnTaxDetail.TaxLine.DetailTypeEnum is missing in the "
            "request",
            400,
            "sales-tax.md §2.5 (quickbooks-ruby#529; code assumed)",
            "assumed",
        ),
        # POST /taxservice/taxcode naming a new rate whose name is taken: the captured body
        # (RUBY-FX json/tax_service_error_dup.json), the newline included.
        _f(
            "duplicate_tax_rate",
            "6240",
            V,
            "Duplicate Name Exists Error",
            "The name supplied already exists. : Another tax rate is already using this \n"
            "name. Please use a different name.",
            400,
            "sales-tax.md §1.5 (quickbooks-ruby spec/fixtures/json/tax_service_error_dup.json)",
            "observed",
        ),
        # The same for a TaxCode name already used: worded as the captured rate fault.
        _f(
            "duplicate_tax_code",
            "6240",
            V,
            "Duplicate Name Exists Error",
            "The name supplied already exists. : Another tax code is already using this \n"
            "name. Please use a different name.",
            400,
            "assumed, after the captured duplicate tax rate (sales-tax.md §1.5)",
            "assumed",
        ),
        # TaxService business rules (DOC-COPY taxservice.md: RateValue 0-100, a rate listed
        # once per request); the code and wording are assumed (6000, the business rule fault).
        _f(
            "tax_rate_detail_invalid",
            "6000",
            V,
            "A business validation error has occurred while processing your request",
            "Business Validation Error: {detail}",
            400,
            "sales-tax.md §1.5 (DOC-COPY taxservice.md business rules; code and text assumed)",
            "assumed",
        ),
        # --- attachments (docs/research/attachable.md) ----------------------------------------
        # The download links are S3 presigned URLs: S3 answers them, in its own XML (AWS S3
        # API reference, "Error responses"). Which of these S3 gives for a deleted object
        # (AccessDenied without s3:ListBucket, else NoSuchKey) is assumed.
        _f(
            "s3_expired",
            "AccessDenied",
            "S3",
            "Request has expired",
            None,
            403,
            "AWS S3 error responses (presigned URL past X-Amz-Expires)",
            "official",
            element=None,
            envelope="s3",
        ),
        _f(
            "s3_signature",
            "SignatureDoesNotMatch",
            "S3",
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.",
            None,
            403,
            "AWS S3 error responses",
            "official",
            element=None,
            envelope="s3",
        ),
        _f(
            "s3_access_denied",
            "AccessDenied",
            "S3",
            "Access Denied",
            None,
            403,
            "AWS S3 error responses; for a deleted attachment: assumed",
            "assumed",
            element=None,
            envelope="s3",
        ),
        # A link to an object that does not exist: recorded on /upload (minimul/qbo_api
        # spec/vcr/attachment/error_estimate.yml, 2020), per item in an HTTP 200 answer, with
        # this Detail (the id repeated after it, as recorded); the same fault, as a 400, for
        # POST /attachable is assumed.
        _f(
            "attachable_link_missing",
            "6000",
            V,
            "A business validation error has occurred while processing your request",
            "Business Validation Error: The entity {type} {id} that you are trying to link does "
            "not exist. {type} {id}",
            400,
            "docs/research/attachable.md §2 (minimul/qbo_api VCR error_estimate.yml)",
            "observed",
        ),
        _f(
            "attachable_ref_type",
            "6050",
            V,
            "The entity reference type is unsupported for Attachable",
            "The entity reference type {type} is unsupported for Attachable",
            400,
            "docs/research/attachable.md §3 (DOC-ERR 6050); which types: assumed",
            "official",
        ),
        _f(
            "upload_no_length",
            "6020",
            V,
            "Content length missing in request",
            "We cannot find the content-length header in the request",
            400,
            "docs/research/attachable.md §3 (DOC-ERR 6020); HTTP status assumed",
            "official",
        ),
        _f(
            "upload_too_large",
            "6030",
            V,
            "Upload request size exceeds allowed limit",
            "The file upload request should not exceed 100MB in size. The current request size "
            "is {size}",
            400,
            "docs/research/attachable.md §3-4 (DOC-ERR 6030, DOC-ATT 100 MB); status assumed",
            "official",
        ),
        _f(
            "upload_metadata_type",
            "6040",
            V,
            "The file metadata must be of Attachable type",
            "The file metadata submitted must be of Attachable type. Supplied Type: {supplied}, "
            "request parameter: {part}.",
            400,
            "docs/research/attachable.md §3 (DOC-ERR 6040); per item: assumed",
            "official",
        ),
        # A file QBO does not take: a type outside DOC-ATT's approved list, a part typed
        # application/octet-stream (codat-docs PR#1204), an empty part, or metadata with no
        # file. 6041 for these is assumed; the text is DOC-ERR's.
        _f(
            "upload_invalid_file",
            "6041",
            V,
            "Invalid Uploaded File",
            "The uploaded file isn't valid. Learn more about accepted attach images and note types",
            400,
            "docs/research/attachable.md §3-4 (DOC-ERR 6041); when it is given: assumed",
            "assumed",
        ),
        # /upload with a body that is not multipart/form-data, or a part with no
        # Content-Disposition: the texts are quoted by integrators (quickbooks-ruby#151), the
        # code (1050 Invalid Content Type, reference §2.2) and status are assumed.
        _f(
            "upload_not_multipart",
            "1050",
            V,
            "Invalid Content Type",
            "This type can't be consumed",
            400,
            "docs/research/attachable.md §3 (quickbooks-ruby#151 text; code assumed)",
            "assumed",
        ),
        _f(
            "upload_part_unnamed",
            "1050",
            V,
            "Invalid Content Type",
            "Could find no content-disposition header with in a part",
            400,
            "docs/research/attachable.md §3 (quickbooks-ruby#151 text; code assumed)",
            "assumed",
        ),
        _f(
            "account_type_required",
            "6010",
            V,
            "Invalid Account.AccountType && Account.SubType",
            "Either Account.AccountType or Account.AccountSubType must be specified.",
            400,
            "§2.2 6010",
            "assumed",
        ),
        _f(
            "amount_calculation",
            "6070",
            V,
            "Amount calculation incorrect in the request",
            "Amount is not equal to Qty * UnitPrice. Supplied value:{value}",
            400,
            "§2.2 6070",
            "official",
        ),
        _f(
            "no_name",
            "6080",
            V,
            "No Name Provided",
            "Fill out values for at least one of the following: Title, GivenName, MiddleName, "
            "FamilyName, DisplayName, Suffix.",
            400,
            "§2.2 6080; Detail from DOC-ERR",
            "official",
        ),
        _f(
            "invalid_line_taxcode",
            "6100",
            V,
            "Invalid Line TaxCode in the request",
            "Invalid TaxCode: {value}. In a US company a line TaxCodeRef is TAX or NON.",
            400,
            "§2.2 6100",
            "assumed",
        ),
        _f(
            "duplicate_docnumber",
            "6140",
            V,
            "Duplicate Document Number Error",
            "Duplicate Document Number Error : You must specify a different number. This number "
            "has already been used. DocNumber={doc_number} is assigned to TxnType={txn_type} "
            "with TxnId={txn_id}",
            400,
            "§2.3 6140 (real body in a public test)",
            "observed",
        ),
        _f(
            "parent_ref_required",
            "6150",
            V,
            "ParentRef Required (Validation) Error",
            "ParentRef is either required or not if Job is true or false.",
            400,
            "§2.4 (PHP-SDK#265)",
            "observed",
            element="Job",
        ),
        _f(
            "sub_level_limit",
            "6180",
            V,
            "Sub Level Limit",
            "Review the number of nested accounts and customers. You can nest up to 5 levels.",
            400,
            "§2.2 6180; Detail from DOC-ERR",
            "official",
        ),
        _f(
            "invalid_company_status",
            "6190",
            V,
            "Invalid Company Status",
            "Subscription period has ended or canceled or there was a billing problem : You "
            "can't add data to QuickBooks Online Plus because your trial or subscription period "
            "ended, you canceled your subscription, or there was a billing problem. To update "
            "your subscription, click the gear icon and view your account information.",
            400,
            "§2.3 6190 (PHP-SDK#211)",
            "observed",
        ),
        # Closed books, as integrators quote QBO (the doubled "through" included): LeanLaw
        # quotes the .NET SDK's "Validation Exception was thrown. Details: The account period
        # has closed and the account books cannot be updated through through the QBO Services
        # API. Please use the QBO website to make these changes." (support.myleanlaw.co
        # 10752884); the same Detail in docs.invoiced.com's QBO errors page and a fyle-qbo-api
        # test fixture with code 6210 and Message "Account Period Closed, Cannot Update
        # Through Services API" (also Recurly support 360028249812, and "confirmed live" in a
        # public sync's comment); AutoEntry and Synder quote it with one "through".
        _f(
            "period_closed",
            "6210",
            V,
            "Account Period Closed, Cannot Update Through Services API",
            "The account period has closed and the account books cannot be updated through "
            "through the QBO Services API. Please use the QBO website to make these changes.",
            400,
            "§2.3 6210 (fyle-qbo-api fixture; LeanLaw, Invoiced, AutoEntry, Recurly quotes)",
            "observed",
        ),
        # The other captured closed-books answer (fidelity ``period_closed_fault`` "5010"):
        # python-quickbooks#208 (2020, a Bill/Invoice create) printed {"error_code": "5010",
        # "detail": "The account period has closed. {1}", "message": "Account Period Closed"}.
        # "{1}" is QBO's own unfilled message placeholder, leaked as is: qbo-sim sends the three
        # characters literally (escaped here for str.format).
        _f(
            "period_closed_placeholder",
            "5010",
            V,
            "Account Period Closed",
            "The account period has closed. {{1}}",
            400,
            "python-quickbooks#208",
            "observed",
        ),
        _f(
            "has_balance",
            "6220",
            V,
            "Delete List Has Balance Error",
            "The entity you are trying to delete has an open balance. : This {entity} cannot be "
            "deleted because it has a non-zero balance",
            400,
            "§2.3 6220 (quickbooks-ruby#390)",
            "observed",
        ),
        _f(
            "duplicate_name",
            "6240",
            V,
            "Duplicate Name Exists Error",
            "The name supplied already exists. : Id={id}",
            400,
            "§2.3 6240 (many integrators parse Id=)",
            "observed",
        ),
        _f(
            "invalid_account_type",
            "6430",
            V,
            "Invalid account type used",
            "Invalid account type: You need to select a different type of account for this "
            "transaction.",
            400,
            "§2.3 6430 (quickbooks-ruby#532), §8",
            "observed",
        ),
        # --- inventory (qbo_sim/rules/inventory.py) ------------------------------------------
        # DOC-ERR's table (mirrored in ERRENUM, Nytely-Official/quickbooks-api
        # intuit-fault-codes.ts): name as Message, its description as Detail; no live capture.
        _f(
            "inventory_before_start",
            "6270",
            V,
            "InventoryTxnDatedBeforeItemStartDate",
            "Transactions with inventory items that have a quantity on hand can't be dated "
            "earlier than the specified InventoryStartDate.",
            400,
            "§2.2 6270 (DOC-ERR table via ERRENUM)",
            "official",
        ),
        _f(
            "inventory_qty_missing",
            "6520",
            V,
            "Missing Tracked Inventory Item Quantity",
            "The tracked inventory item must have a quantity.",
            400,
            "§2.2 6520 (DOC-ERR table via ERRENUM); which requests get it: assumed",
            "assumed",
        ),
        # DotNET-SDK#10 (2017, quoted in §2.3 6000): an Inventory item created while tracking
        # quantity on hand is off. Whether the company preference or the item's flag: assumed
        # both.
        _f(
            "inventory_untracked",
            "6000",
            V,
            "A business validation error has occurred while processing your request",
            "Business Validation Error: When you create an item, if Track quantity on hand is "
            "turned off, the item cannot be of type Inventory.",
            400,
            "§2.3 6000 (DotNET-SDK#10)",
            "observed",
        ),
        # The InventoryAdjustment workflow page says its validation errors have "specific
        # error codes and messages" without listing them: adjusting an item that is not a
        # tracked Inventory item is given 6000 with this Detail (assumed).
        _f(
            "inventory_item_required",
            "6000",
            V,
            "A business validation error has occurred while processing your request",
            "Business Validation Error: Inventory adjustments can only be made to inventory "
            "items that track quantity on hand.",
            400,
            "DOC-INVADJ (codes not listed); code and Detail assumed",
            "assumed",
        ),
        _f(
            "detail_required",
            "6440",
            V,
            "Transaction Detail Information Required",
            "Transaction Detail Information Required : Each split line needs an item or an "
            "account.",
            400,
            "§2.2 6440",
            "assumed",
        ),
        _f(
            "deposited",
            "6540",
            V,
            "Deposited Transaction cannot be changed",
            "This transaction has been deposited. If you want to change or delete it, you must "
            "first edit the deposit it appears on and remove it.",
            400,
            "§2.3 6540 (BLOG-TOPERR)",
            "official",
        ),
        # --- TimeActivity (§2.2 6290-6390): Message and Detail from Intuit's error-code table
        # (docs/research/fault-strings.md, DOC-ERR); which condition raises which code is
        # assumed (qbo_sim.rules.timesheets). No live capture found.
        _f(
            "time_party_both",
            "6290",
            V,
            "InvalidEmployeeOrVendor",
            'You must specify either an "employee" or "vendor." You can\'t enter both. '
            "Their ID is: {id}.",
            400,
            "§2.2 6290 (DOC-ERR table, docs/research/fault-strings.md)",
            "assumed",
        ),
        _f(
            "time_party_name",
            "6300",
            V,
            "InvalidEmployeeOrVendorName",
            "The employee or vendor's name is either missing or invalid. It should be "
            "Employee or Vendor.",
            400,
            "§2.2 6300 (DOC-ERR table, docs/research/fault-strings.md)",
            "assumed",
        ),
        _f(
            "time_customer_required",
            "6310",
            V,
            "MissingCustomer",
            "A customer is required if the transaction is billable.",
            400,
            "§2.2 6310 (DOC-ERR table, docs/research/fault-strings.md)",
            "assumed",
        ),
        _f(
            "time_hourly_rate",
            "6330",
            V,
            "MissingBillingRate",
            "Invalid hourly rate: {value}.",
            400,
            "§2.2 6330 (DOC-ERR table, docs/research/fault-strings.md)",
            "assumed",
        ),
        _f(
            "time_invalid",
            "6340",
            V,
            "InvalidTime",
            "You must specify a time (hours:minutes): {value}.",
            400,
            "§2.2 6340 (DOC-ERR table, docs/research/fault-strings.md)",
            "assumed",
        ),
        _f(
            "time_missing",
            "6350",
            V,
            "MissingTime",
            "Time (hours:minutes) is missing: {value}.",
            400,
            "§2.2 6350 (DOC-ERR table, docs/research/fault-strings.md)",
            "assumed",
        ),
        _f(
            "time_start_end",
            "6360",
            V,
            "InvalidStartOrEndTime",
            "Enter a valid start and end time. Make sure break times aren't longer than the "
            "elapsed time.",
            400,
            "§2.2 6360 (DOC-ERR table, docs/research/fault-strings.md)",
            "assumed",
        ),
        _f(
            "time_start_after_end",
            "6370",
            V,
            "StartTimeAfterEndTime",
            "The start time is after end time: {value}.",
            400,
            "§2.2 6370 (DOC-ERR table, docs/research/fault-strings.md)",
            "assumed",
        ),
        _f(
            "time_duration",
            "6380",
            V,
            "InvalidDuration",
            "The time duration isn't within the valid range: {value}.",
            400,
            "§2.2 6380 (DOC-ERR table, docs/research/fault-strings.md)",
            "assumed",
        ),
        _f(
            "time_multiple_durations",
            "6390",
            V,
            "InvalidMultipleDurations",
            "Invalid multiple time durations. Specify a total elapsed time (hours:minutes) "
            "or the start and end time.",
            400,
            "§2.2 6390 (DOC-ERR table, docs/research/fault-strings.md)",
            "assumed",
        ),
        _f(
            "batch_too_large",
            "1040",
            V,
            "Batch size exceeds allowed limit",
            "The batch size for the batch request or BatchItemRequest is too big. The batch "
            "limit size is stated by the 30 value.",
            400,
            "§5.7, §8; Detail from DOC-ERR",
            "assumed",
        ),
        # --- server side (§1.5, §8) --------------------------------------------------------
        _f(
            "system_fault",
            "10000",
            "SystemFault",
            "An application error has occurred while processing your request",
            "System Failure Error: {detail}",
            500,
            "§2.3 10000, §8 (status assumed)",
            "observed",
        ),
    ]
}


class QBOFault(SimError):
    """A QBO error raised anywhere in the simulator; rendered by :mod:`qbo_sim.serialize`.

    ``QBOFault("duplicate_name", id="58")``; ``element=`` overrides the entry's element and
    ``raw_detail=`` the rendered Detail.
    """

    def __init__(
        self, key: str, *, element: str | None = None, raw_detail: str | None = None, **params: Any
    ) -> None:
        if key not in CATALOGUE:
            raise KeyError(f"no fault {key!r} in the catalogue")
        self.spec = CATALOGUE[key]
        self.params = params
        self.element = self.spec.element if element is None else element
        #: ``raw_detail=`` replaces the template where QBO's Detail varies freely (3200).
        rendered = self.spec.render_detail({**params, "element": self.element})
        self.detail = raw_detail if raw_detail is not None else rendered
        super().__init__(f"{self.spec.code} {self.spec.message}: {self.detail}")

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def status(self) -> int:
        return self.spec.status


def thousands(n: int) -> str:
    """QBO writes lengths with thousands separators (``Max:4,000``)."""
    return f"{n:,}"
