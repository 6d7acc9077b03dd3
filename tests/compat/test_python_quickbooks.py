"""Contract test: the most used Python QBO libraries, unchanged, against qbo-sim.

``intuit-oauth`` (Intuit's own OAuth client) runs the OAuth 2.0 flow through the real discovery
document and hosts; ``python-quickbooks`` creates, reads, queries, updates and deletes, and
turns qbo-sim's ``Fault`` bodies into its exceptions exactly as it does QBO's. Both libraries
only see Intuit's hostnames: ``qbo_sim.mock()`` answers them in-process.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from intuitlib.client import AuthClient
from intuitlib.enums import Scopes
from intuitlib.exceptions import AuthClientError
from quickbooks import QuickBooks
from quickbooks import exceptions as qb_exceptions
from quickbooks.objects.attachable import Attachable
from quickbooks.objects.base import AttachableRef
from quickbooks.objects.customer import Customer
from quickbooks.objects.detailline import SalesItemLine, SalesItemLineDetail
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.item import Item

from tests.sim.test_pdf import read_pdf

REDIRECT = "https://app.example.com/qbo/callback"


@pytest.fixture
def qbo_sim_seed():
    return 3


@pytest.fixture
def qbo_sim_request_seconds():
    return 0.25  # the libraries pace nothing: QBO's 10 requests/second would throttle them


@pytest.fixture
def sim(qbo_mock):
    """The plugin's simulator (on ``tests/conftest.py``'s instant), answering Intuit's hosts."""
    return qbo_mock


@pytest.fixture
def realm(sim):
    return sim.create_company("sample")


@pytest.fixture
def auth_client(sim, realm):
    """An AuthClient that went through the whole authorization-code flow."""
    client = sim.oauth.register_client(redirect_uris=[REDIRECT])
    auth = AuthClient(client.client_id, client.client_secret, REDIRECT, "sandbox")
    url = auth.get_authorization_url([Scopes.ACCOUNTING])
    assert urlsplit(url).netloc == "appcenter.intuit.com"
    consent = requests.get(f"{url}&auto_approve=1&realmId={realm}", allow_redirects=False)
    assert consent.status_code == 302
    callback = parse_qs(urlsplit(consent.headers["Location"]).query)
    assert callback["realmId"] == [realm] and callback["state"] == [auth.state_token]
    auth.get_bearer_token(callback["code"][0], realm_id=realm)
    return auth


@pytest.fixture
def qb(auth_client, realm):
    return QuickBooks(
        auth_client=auth_client,
        refresh_token=auth_client.refresh_token,
        company_id=realm,
        minorversion=75,
    )


def test_oauth_flow_gives_qbo_shaped_tokens(auth_client, sim):
    assert auth_client.x_refresh_token_expires_in == 8726400
    assert auth_client.expires_in == 3600
    old_refresh = auth_client.refresh_token
    auth_client.refresh()
    assert auth_client.refresh_token != old_refresh
    sim.clock.advance(hours=24, seconds=1)
    stale = AuthClient(auth_client.client_id, auth_client.client_secret, REDIRECT, "sandbox")
    with pytest.raises(AuthClientError) as caught:
        stale.refresh(refresh_token=old_refresh)
    assert caught.value.status_code == 400
    assert b"invalid_grant" in caught.value.content


def test_crud_and_query_with_python_quickbooks(qb):
    customer = Customer()
    customer.DisplayName = "Harbor Property Group"
    saved = customer.save(qb=qb)  # the library returns QBO's answer and keeps the Id
    assert customer.Id == saved.Id and saved.SyncToken == "0"

    found = Customer.filter(DisplayName="Harbor Property Group", qb=qb)
    assert [c.Id for c in found] == [customer.Id]
    assert Customer.count(qb=qb) >= 13  # the sample company's customers and this one

    item = Item.filter(Type="Service", qb=qb)[0]
    line = SalesItemLine()
    line.Amount = 240
    line.SalesItemLineDetail = SalesItemLineDetail()
    line.SalesItemLineDetail.ItemRef = item.to_ref()
    line.SalesItemLineDetail.Qty = 2
    line.SalesItemLineDetail.UnitPrice = 120
    invoice = Invoice()
    invoice.CustomerRef = customer.to_ref()
    invoice.Line = [line]
    created = invoice.save(qb=qb)
    assert created.TotalAmt == 240 and created.Balance == 240 and created.DocNumber == "1011"

    reread = Invoice.get(invoice.Id, qb=qb)
    assert reread.SyncToken == "0"
    reread.PrivateNote = "technician notes"
    updated = reread.save(qb=qb)
    assert updated.SyncToken == "1" and updated.PrivateNote == "technician notes"
    updated.delete(qb=qb)
    with pytest.raises(qb_exceptions.ObjectNotFoundException) as caught:
        Invoice.get(invoice.Id, qb=qb)
    assert caught.value.error_code == 610


def test_faults_become_the_librarys_exceptions(qb, sim, realm):
    first = Customer()
    first.DisplayName = "Maple Court"
    first.save(qb=qb)
    duplicate = Customer()
    duplicate.DisplayName = "maple court "
    with pytest.raises(qb_exceptions.QuickbooksException) as caught:
        duplicate.save(qb=qb)
    assert caught.value.error_code == 6240
    assert caught.value.detail == f"The name supplied already exists. : Id={first.Id}"

    sim.as_user(realm).sparse_update("Customer", first.Id, CompanyName="Maple Court LLC")
    first.Notes = "edited by the sync"
    first.SyncToken = "0"  # what the sync stored; the QBO user's edit made it "1"
    with pytest.raises(qb_exceptions.QuickbooksException) as stale:
        first.save(qb=qb)
    assert stale.value.error_code == 5010
    assert "You and Craig Carlson were working on this at the same time" in stale.value.detail

    with pytest.raises(qb_exceptions.ValidationException) as parse:
        qb.query("SELECT * FROM Customer WHERE DisplayName = 'Adam's'")
    assert parse.value.error_code == 4000


def test_expired_access_token_then_a_new_session_refreshes(qb, sim, realm):
    sim.clock.advance(seconds=3600)
    with pytest.raises(qb_exceptions.AuthorizationException) as caught:
        Customer.count(qb=qb)
    assert caught.value.error_code == 401  # the library's code for any 401; QBO's body:
    assert '"code":"3200"' in caught.value.detail
    assert "errorCode=003200" in caught.value.detail
    # the library's way: refresh, then a new client with the new tokens
    qb.auth_client.refresh()
    fresh = QuickBooks(
        auth_client=qb.auth_client,
        refresh_token=qb.auth_client.refresh_token,
        company_id=realm,
        minorversion=75,
    )
    assert Customer.count(qb=fresh) >= 12


def test_payment_batch_and_cdc_with_python_quickbooks(qb, sim):
    from quickbooks.batch import batch_create
    from quickbooks.cdc import change_data_capture
    from quickbooks.objects.payment import Payment, PaymentLine

    sim.clock.advance(60)  # the sample company was written at 09:00:00; changes come later
    open_invoice = Invoice.query("SELECT * FROM Invoice WHERE Balance > '0' MAXRESULTS 1", qb=qb)[0]
    line = PaymentLine()
    line.Amount = open_invoice.Balance
    line.LinkedTxn.append(open_invoice.to_linked_txn())
    payment = Payment()
    payment.CustomerRef = open_invoice.CustomerRef
    payment.TotalAmt = open_invoice.Balance
    payment.Line = [line]
    saved = payment.save(qb=qb)
    assert saved.UnappliedAmt == 0
    assert Invoice.get(open_invoice.Id, qb=qb).Balance == 0

    customers = []
    for name in ("Batch One", "Batch Two", "Batch One"):
        customer = Customer()
        customer.DisplayName = name
        customers.append(customer)
    results = batch_create(customers, qb=qb)
    assert sorted(c.DisplayName for c in results.successes) == ["Batch One", "Batch Two"]
    assert [f.Error[0].code for f in results.faults] == ["6240"]

    changes = change_data_capture([Customer, Invoice], "2026-03-02T09:00:30-08:00", qb=qb)
    assert {c.DisplayName for c in changes.Customer} >= {"Batch One", "Batch Two"}
    assert [i.Id for i in changes.Invoice] == [open_invoice.Id]


def test_webhook_signature_verifies_with_python_quickbooks(qb, sim, realm):
    received: list[tuple[dict, bytes]] = []
    sim.webhooks.subscribe(
        callback=lambda h, b: received.append((h, b)) or 200,
        verifier_token="verifier-from-the-developer-portal",
    )
    customer = Customer()
    customer.DisplayName = "Signed Events Ltd"
    customer.save(qb=qb)
    sim.webhooks.deliver()
    headers, body = received[-1]
    assert qb.validate_webhook_signature(
        body.decode(), headers["intuit-signature"], "verifier-from-the-developer-portal"
    )


def test_invoice_pdf_with_python_quickbooks(qb, sim, realm):
    invoice = Invoice.query("SELECT * FROM Invoice MAXRESULTS 1", qb=qb)[0]
    shown = read_pdf(invoice.download_pdf(qb=qb))  # bytes, as the library returns them
    company = sim.store.get(realm).get("CompanyInfo", "1")
    customer = sim.store.get(realm).get("Customer", invoice.CustomerRef.value)
    assert company["CompanyName"] in shown
    assert f"Bill to: {customer['DisplayName']}" in shown
    assert f"No.: {invoice.DocNumber}" in shown
    assert shown[-2:] == ["Total", f"{invoice.TotalAmt:.2f}"]
    with pytest.raises(qb_exceptions.ObjectNotFoundException) as caught:
        qb.download_pdf("Invoice", "99999")
    assert caught.value.error_code == 610


def test_attachment_upload_note_query_and_delete_with_python_quickbooks(qb, sim, realm, tmp_path):
    invoice = Invoice.query("SELECT * FROM Invoice MAXRESULTS 1", qb=qb)[0]
    photo = bytes(range(256)) * 8  # every byte value: the library sends base64 with LF lines

    def linked(attachable: Attachable) -> Attachable:
        ref = AttachableRef()
        ref.EntityRef = invoice.to_ref()
        attachable.AttachableRef.append(ref)
        return attachable

    upload = linked(Attachable())
    upload.FileName = "site-photo.jpg"
    upload.ContentType = "image/jpeg"
    upload._FileBytes = photo
    saved = upload.save(qb=qb)  # POST /upload; the library reads AttachableResponse[0]
    assert saved.Id == upload.Id and saved.Size == len(photo)
    assert saved.FileAccessUri == f"/v3/company/{realm}/download/{saved.Id}"

    signed = linked(Attachable())
    signed.FileName = "signed-work-order.pdf"
    signed.ContentType = "application/pdf"
    path = tmp_path / "wo.pdf"
    path.write_bytes(b"%PDF-1.4 signed")
    signed._FilePath = str(path)
    signed.save(qb=qb)

    note = linked(Attachable())
    note.Note = "Gate code 4721"
    note.save(qb=qb)  # no file: POST /attachable, answered {"Attachable": ...}

    read = Attachable.get(saved.Id, qb=qb)
    assert requests.get(read.TempDownloadUri, timeout=10).content == photo
    where = (
        f"AttachableRef.EntityRef.Type = 'invoice' AND AttachableRef.EntityRef.value = "
        f"'{invoice.Id}'"
    )
    found = Attachable.where(where, qb=qb)
    assert {a.Id for a in found} >= {saved.Id, signed.Id, note.Id}
    assert {a.FileName for a in found if a.FileName} == {"site-photo.jpg", "signed-work-order.pdf"}

    read.delete(qb=qb)
    with pytest.raises(qb_exceptions.ObjectNotFoundException):
        Attachable.get(saved.Id, qb=qb)
    assert requests.get(read.TempDownloadUri, timeout=10).status_code == 403


def test_a_refused_upload_reaches_python_quickbooks_as_qbo_sends_it(qb):
    # QBO answers a refused file inside a 200 AttachableResponse; the library reads item 0's
    # "Attachable" and so raises KeyError (docs/research/attachable.md §8): the same here
    bad = Attachable()
    ref = AttachableRef()
    ref.EntityRef = {"type": "Estimate", "value": "75"}
    bad.AttachableRef.append(ref)
    bad.FileName = "x.txt"
    bad.ContentType = "text/plain"
    bad._FileBytes = b"x"
    with pytest.raises(KeyError, match="Attachable"):
        bad.save(qb=qb)


def test_invoice_send_with_python_quickbooks(qb, sim, realm):
    invoice = Invoice.query("SELECT * FROM Invoice MAXRESULTS 1", qb=qb)[0]
    sent = invoice.send(qb=qb, send_to="ap@example.com")
    assert sent["Invoice"]["EmailStatus"] == "EmailSent"
    assert [(m["entity_id"], m["to"]) for m in sim.outbox(realm)] == [
        (invoice.Id, "ap@example.com")
    ]
