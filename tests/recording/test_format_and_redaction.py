"""The recording file format (versioned JSON lines, a schema in the package) and the redaction
applied before anything is written."""

from __future__ import annotations

import base64
import json

import jsonschema
import pytest

from qbo_sim import Clock
from qbo_sim.recording import Exchange, Message, RecordingError, Redactor, read_recording
from qbo_sim.recording.format import SCHEMA_PATH, check_line, encode_body, realm_of
from qbo_sim.recording.writer import RecordingWriter
from tests.conftest import START


def exchange(**overrides) -> Exchange:
    fields = dict(
        seq=1,
        method="POST",
        url="https://sandbox-quickbooks.api.intuit.com/v3/company/9130/customer",
        request=Message([("Content-Type", "application/json")], b'{"DisplayName": "A"}'),
        response=Message([("Content-Type", "application/json")], b'{"Customer": {}}', 200),
        started="2026-03-02T17:00:00.000Z",
        duration_ms=12.5,
    )
    fields.update(overrides)
    return Exchange(**fields)


def test_the_schema_is_package_data_and_a_valid_json_schema():
    doc = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(doc)
    assert doc["$id"].endswith("recording-1.schema.json")


def test_a_line_round_trips_and_validates():
    line = exchange().to_line()
    check_line(line)
    assert line["qbo_sim_recording"] == 1 and line["type"] == "exchange"
    back = Exchange.from_line(line)
    assert back.request.body == b'{"DisplayName": "A"}' and back.status == 200


def test_text_bodies_stay_text_and_binary_ones_are_base64():
    assert encode_body(b'{"a": 1}', "application/json") == {"text": '{"a": 1}'}
    pdf = b"%PDF-1.4\n\x00\xff binary"
    assert encode_body(pdf, "application/pdf") == {"base64": base64.b64encode(pdf).decode()}
    assert encode_body(b"\xff\xfe", "text/plain") == {"base64": "//4="}
    assert encode_body(b"", "application/json") is None


def test_a_recording_of_another_version_or_shape_is_refused(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"qbo_sim_recording": 2, "type": "header"}\n', encoding="utf-8")
    with pytest.raises(RecordingError, match="version 2; this qbo-sim reads 1"):
        read_recording(bad)
    bad.write_text(
        '{"qbo_sim_recording": 1, "type": "header"}\n{"qbo_sim_recording": 1, "type": "x"}\n',
        encoding="utf-8",
    )
    with pytest.raises(RecordingError, match=r"bad.jsonl:2"):
        read_recording(bad)
    bad.write_text(json.dumps(exchange().to_line()) + "\n", encoding="utf-8")
    with pytest.raises(RecordingError, match="no header line"):
        read_recording(bad)
    # a file that is not UTF-8 (a binary, a Latin-1 export): a file:line error, no traceback
    bad.write_bytes(b'{"qbo_sim_recording": 1, "type": "header"}\n{"x": "caf\xe9"}\n')
    with pytest.raises(RecordingError, match=r"bad.jsonl:2: not UTF-8 \(byte 11 of the line\)"):
        read_recording(bad)


def test_the_realm_comes_from_the_path_or_the_oauth_redirect():
    assert realm_of("https://h/v3/company/4620816365/query?query=x") == "4620816365"
    assert (
        realm_of("https://appcenter.intuit.com/connect/oauth2", "https://app/cb?code=x&realmId=77")
        == "77"
    )
    assert realm_of("https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer") is None


def test_every_kind_of_secret_becomes_a_stable_placeholder():
    redactor = Redactor()
    basic = base64.b64encode(b"ABclientid:s3cr3t-client-secret").decode()
    token_answer = json.dumps(
        {
            "access_token": "eyJhbGciOi.eyJzdWIiOi.sig-nature",
            "refresh_token": "AB11refresh0001",
            "id_token": "short",
            "x_refresh_token_expires_in": 8726400,
            "token_type": "bearer",
        }
    ).encode()
    first = redactor.exchange(
        exchange(
            url="https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
            request=Message(
                [
                    ("Authorization", f"Basic {basic}"),
                    ("Content-Type", "application/x-www-form-urlencoded"),
                    ("Cookie", "ivid=abcdef123456; qbn.tkt=Z"),
                    ("intuit-signature", "c2lnbmF0dXJl"),
                ],
                b"grant_type=authorization_code&code=AB11code-of-consent&redirect_uri=https%3A%2F%2Fapp%2Fcb"
                b"&client_secret=s3cr3t-client-secret",
            ),
            response=Message(
                [
                    ("Content-Type", "application/json"),
                    ("Set-Cookie", "sess=abcdef999999; Path=/; Secure"),
                ],
                token_answer,
                200,
            ),
        )
    )
    later = redactor.exchange(
        exchange(
            seq=2,
            url="https://sandbox-quickbooks.api.intuit.com/v3/company/9130/query?query=select&access_token=eyJhbGciOi.eyJzdWIiOi.sig-nature",
            request=Message([("Authorization", "Bearer eyJhbGciOi.eyJzdWIiOi.sig-nature")], b""),
            response=Message(
                [("Location", "https://app/cb?code=AB11code-of-consent&state=s1&realmId=9130")],
                b"",
                302,
            ),
        )
    )
    req = dict(first.request.headers)
    assert req["Authorization"] == "Basic <redacted:basic_auth:1>"
    assert req["Cookie"] == "ivid=<redacted:cookie:1>; qbn.tkt=<redacted:cookie:2>"
    assert req["intuit-signature"] == "<redacted:intuit_signature:1>"
    assert first.request.body == (
        b"grant_type=authorization_code&code=<redacted:code:1>&redirect_uri=https%3A%2F%2Fapp%2Fcb"
        b"&client_secret=<redacted:client_secret:1>"
    )
    assert dict(first.response.headers)["Set-Cookie"] == "sess=<redacted:cookie:3>; Path=/; Secure"
    answer = json.loads(first.response.body)
    assert answer == {
        "access_token": "<redacted:access_token:1>",
        "refresh_token": "<redacted:refresh_token:1>",
        "id_token": "<redacted:id_token:1>",
        "x_refresh_token_expires_in": 8726400,
        "token_type": "bearer",
    }
    # the same secrets, met again later, are the same placeholders
    assert dict(later.request.headers)["Authorization"] == "Bearer <redacted:access_token:1>"
    assert later.url.endswith("query=select&access_token=<redacted:access_token:1>")
    assert dict(later.response.headers)["Location"] == (
        "https://app/cb?code=<redacted:code:1>&state=s1&realmId=9130"
    )


def test_json_bodies_keep_their_text_apart_from_the_secrets():
    body = b'{"Invoice": {"TotalAmt": 80.00, "Balance": 0}, "refresh_token": "AB11abcdefgh"}'
    out = Redactor().exchange(exchange(response=Message([], body, 200)))
    assert out.response.body == (
        b'{"Invoice": {"TotalAmt": 80.00, "Balance": 0}, '
        b'"refresh_token": "<redacted:refresh_token:1>"}'
    )


def test_a_fault_code_is_not_a_secret_and_a_jwt_anywhere_is():
    fault = b'{"Fault": {"Error": [{"code": "6240", "Message": "x"}]}}'
    jwt = b"see eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.c2lnbmF0dXJl in the page"
    out = Redactor().exchange(
        exchange(
            response=Message([("Content-Type", "text/html")], jwt, 200),
            request=Message([("Content-Type", "application/json")], fault),
        )
    )
    assert out.request.body == fault
    assert out.response.body == b"see <redacted:jwt:1> in the page"


def test_known_secrets_are_swept_from_binary_bodies_too():
    redactor = Redactor(["customer-password-123"])
    upload = b"--b\r\nContent-Type: application/pdf\r\n\r\n\x00\xffcustomer-password-123\x00--b--"
    out = redactor.exchange(
        exchange(request=Message([("Content-Type", "multipart/form-data; boundary=b")], upload))
    )
    assert b"customer-password-123" not in out.request.body
    assert b"<redacted:secret:1>" in out.request.body


def test_the_writer_writes_a_header_then_redacted_exchanges(tmp_path):
    path = tmp_path / "r.jsonl"
    with RecordingWriter(
        path, recorder="proxy", upstream="https://u:pw@example.test/x", clock=Clock(frozen_at=START)
    ) as writer:
        writer.add(
            "get",
            "https://sandbox-quickbooks.api.intuit.com/v3/company/9130/companyinfo/9130",
            [("Authorization", "Bearer tok-abcdefgh-1")],
            b"",
            (200, [("intuit_tid", "1-abc")], b'{"CompanyInfo": {"Id": "1"}}'),
            started=writer.now(),
            duration_ms=3.25,
        )
    lines = [json.loads(t) for t in path.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == {
        "qbo_sim_recording": 1,
        "type": "header",
        "recorder": "proxy",
        "upstream": "https://example.test/x",
        "qbo_sim_version": lines[0]["qbo_sim_version"],
        "started": "2026-03-02T17:00:00.000Z",
    }
    assert lines[1]["realm"] == "9130" and lines[1]["intuit_tid"] == "1-abc"
    assert lines[1]["request"]["method"] == "GET"
    assert lines[1]["request"]["headers"] == [["Authorization", "Bearer <redacted:access_token:1>"]]
    assert b"tok-abcdefgh-1" not in path.read_bytes() and b"pw@" not in path.read_bytes()
    assert read_recording(path).exchanges[0].duration_ms == 3.25
    with pytest.raises(FileExistsError):  # a recording is never overwritten
        RecordingWriter(path, recorder="proxy")


def test_from_recording_refuses_bad_input_with_exit_2_and_one_line(tmp_path):
    from click.testing import CliRunner

    from qbo_sim.cli import main

    def from_recording(path):
        return CliRunner().invoke(
            main, ["scenarios", "from-recording", str(path), "--out", str(tmp_path / "out")]
        )

    empty = tmp_path / "empty.jsonl"
    with RecordingWriter(empty, recorder="proxy", upstream="https://example.test"):
        pass
    result = from_recording(empty)
    assert result.exit_code == 2  # bad input, as parity and scenarios run answer it
    assert "the recording has no exchanges" in result.output
    assert "0 companies" not in result.output
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(empty.read_bytes() + b'{"caf\xe9": 1}\n')
    result = from_recording(latin)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: {latin}:2: not UTF-8 (byte 6 of the line): a recording is UTF-8 JSON lines"
    ]
    assert not (tmp_path / "out").exists()  # nothing half-written
