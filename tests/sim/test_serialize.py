from __future__ import annotations

import json
from datetime import UTC, datetime

from qbo_sim.faults import CATALOGUE, QBOFault
from qbo_sim.serialize import fault_response, outage_page

NOW = datetime(2021, 10, 6, 11, 38, 15, 688000, tzinfo=UTC)


def test_standard_fault_envelope_matches_reference_shape():
    status, ctype, body = fault_response(QBOFault("duplicate_name", id="1209"), NOW, -7 * 60)
    assert status == 400 and ctype.startswith("application/json")
    assert json.loads(body) == {
        "Fault": {
            "Error": [
                {
                    "Message": "Duplicate Name Exists Error",
                    "Detail": "The name supplied already exists. : Id=1209",
                    "code": "6240",
                    "element": "",
                }
            ],
            "type": "ValidationFault",
        },
        "time": "2021-10-06T04:38:15.688-07:00",
    }


def test_element_can_be_omitted():
    _, _, body = fault_response(QBOFault("malformed_json"), NOW, -480)
    assert "element" not in json.loads(body)["Fault"]["Error"][0]


def test_gateway_envelope_is_lower_case_with_epoch_time():
    fault = QBOFault("token_invalid", raw_detail="Malformed bearer token: too short or too long")
    status, _, body = fault_response(fault, NOW, -480)
    doc = json.loads(body)
    assert status == 401
    assert doc["fault"] == {
        "error": [
            {
                "message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                "detail": "Malformed bearer token: too short or too long",
                "code": "3200",
                "element": None,
            }
        ],
        "type": "AUTHENTICATION",
    }
    assert doc["time"] == 1633520295688
    assert doc["batchItemResponse"] == [] and doc["intuitObject"] is None


def test_throttle_is_xml_with_two_spaces():
    status, ctype, body = fault_response(QBOFault("throttled"), NOW, -480)
    assert status == 429 and ctype.startswith("application/xml")
    assert '<Fault type="SERVICE"><Error code="3001">' in body
    assert "<Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>" in body
    assert "<Detail>The request limit was reached.  Try again later</Detail>" in body


def test_outage_page_is_html():
    assert "<title>503 Service Temporarily Unavailable</title>" in outage_page(503)


def test_every_catalogue_entry_renders():
    for key, spec in CATALOGUE.items():
        params = {
            "id": "1",
            "name": "X",
            "value": "v",
            "element": "E",
            "operation": "Op",
            "path": "/p",
            "url": "u",
            "reason": "r",
            "user": "U",
            "detail": "d",
            "max": "4,000",
            "length": "4,006",
            "doc_number": "1",
            "txn_type": "Invoice",
            "txn_id": "2",
            "entity": "customer",
            "size": "31",
            "currency": "EUR",
            "home": "USD",
            "problem": "Invalid UTF-8 middle byte 0x6d",
            "type": "Estimate",
            "supplied": "list",
            "part": "file_metadata_01",
            "tax_name": "VAT",
        }
        status, _, body = fault_response(QBOFault(key, **params), NOW, -480)
        assert status == spec.status
        assert spec.code in body
