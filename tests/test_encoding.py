from __future__ import annotations

import codecs
import random

import pytest

from newstrace.errors import InputError
from newstrace.stages.clean.encoding import decode_bytes, looks_binary
from newstrace.stages.clean.normalise import normalise, repair

TEXT = "Sankt Brennö – “We evacuated 212 passengers,” said Zoë Müller. Prices rose 5 €."


def test_utf8_and_boms_decode() -> None:
    assert decode_bytes(TEXT.encode("utf-8"), "a.txt") == TEXT
    assert decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"), "a.txt") == TEXT
    assert decode_bytes(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "a.txt") == TEXT


def test_declared_charset_wins_for_markup() -> None:
    html = f'<html><head><meta charset="windows-1252"></head><body><p>{TEXT}</p></body></html>'
    data = html.replace("€", "EUR").replace("–", "-").encode("cp1252", errors="strict")
    assert "Brennö" in decode_bytes(data, "a.html", markup=True)


def test_legacy_encoding_is_detected_without_declaration() -> None:
    german = ("Die Gemeinde Brennö hat am Dienstag beschlossen, die Straße über den Paß für "
              "drei Wochen zu sperren. Die Bürger äußerten Verständnis für die Maßnahme. ") * 5
    assert decode_bytes(german.encode("latin-1"), "a.txt") == german


def test_binary_is_refused_with_the_file_named() -> None:
    data = bytes(range(256)) * 40
    assert looks_binary(data)
    with pytest.raises(InputError) as caught:
        decode_bytes(data, "photo.txt")
    assert caught.value.reason == "binary"
    assert "photo.txt" in str(caught.value)


def test_undetectable_encoding_is_refused_with_the_fix() -> None:
    rng = random.Random(1)
    noise = bytes(rng.choice([*range(0x80, 0x100), 0x20, 0x20]) for _ in range(3000))
    with pytest.raises(InputError) as caught:
        decode_bytes(noise, "mystery.txt")
    assert caught.value.reason == "encoding"
    assert "iconv" in caught.value.message


def test_mojibake_is_repaired() -> None:
    broken = TEXT.encode("utf-8").decode("cp1252", errors="replace")
    assert repair(broken).replace("\ufffd", "") != broken
    assert "Brennö" in repair(broken)


def test_normalise_folds_spaces_and_invisible_characters() -> None:
    messy = "  First\u00a0line\u200b here  \r\n\r\n\r\n\r\nSecond\tline  "
    assert normalise(messy) == "First line here\n\nSecond line"
