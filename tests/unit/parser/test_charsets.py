"""Only WHATWG encoding labels are believed; anything else is mislabelled and detected."""

from __future__ import annotations

import pytest

from services.parser.decoding import MISLABELLED, charset_of, decode_page

PAGE = (
    "<html><head><meta charset='{label}'></head><body><p>Missile launch reported.</p></body></html>"
)


@pytest.mark.parametrize("label", ["hex", "rot13", "base64", "zlib", "iso-2022-kr"])
def test_a_label_that_is_not_a_whatwg_encoding_is_mislabelled(label: str) -> None:
    body = PAGE.format(label=label).encode()
    assert charset_of(None, body) == MISLABELLED
    decoded = decode_page(body, f"text/html; charset={label}")
    assert decoded.flags == ("encoding-mislabelled",)
    assert "Missile launch reported." in decoded.html


def test_whatwg_labels_are_read_as_browsers_read_them() -> None:
    assert charset_of("text/html; charset=latin1", b"") == "cp1252"
    assert charset_of(None, b"<meta charset='utf8'>") == "utf-8"
    decoded = decode_page("<p>Ракета</p>".encode("cp1251"), "text/html; charset=windows-1251")
    assert decoded.html == "<p>Ракета</p>"
    assert decoded.flags == ()
