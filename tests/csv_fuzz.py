"""Malformed files, each with what its note must say: the CSV fuzz set of
``tests/test_files.py`` (the file tools on their own) and ``tests/e2e/test_own_data.py``
(uploaded in Chromium to a real server, whose log stays clean)."""

from typing import NamedTuple

from playground.datasets.csv_file import MAX_BYTES, MAX_ROWS


class Bad(NamedTuple):
    name: str  # the file's name, as the browser sends it
    data: bytes
    says: str  # in the note


def _rows(n: int, header: bool = False) -> bytes:
    lines = ["x,y,label"] if header else []
    lines += [f"{k % 7},{k % 5},{1 if k % 2 else -1}" for k in range(n)]
    return ("\n".join(lines) + "\n").encode()


WIDE = ",".join(str(k) for k in range(65)) + ",1\n"
TABLE_ROW = ",".join(["1"] * 64) + ",1\n"  # 64 numbers and a label
MALFORMED = [
    Bad("empty.csv", b"", "The file is empty"),
    Bad("blank.csv", b"\n\n   \n\t\n", "The file is empty"),
    Bad("commas.csv", b",,\n,,\n", "The file is empty"),
    Bad("header-only.csv", b"x,y,label\n", "fewer than two rows"),
    Bad("one-row.csv", b"1,2,1\n", "fewer than two rows"),
    Bad("header-and-one.csv", b"x,y,label\n1,2,1\n", "fewer than two rows"),
    Bad("one-column.csv", b"1\n2\n3\n", "Row 1 has one column"),
    Bad("too-wide.csv", (WIDE * 3).encode(), "Row 1 has 66 columns"),
    Bad(
        "too-wide-header.csv", (",".join(f"c{k}" for k in range(66)) + "\n").encode(), "66 columns"
    ),
    Bad("short-row.csv", b"1,2,1\n3,4\n", "Row 2 has 2 columns; the first row has 3"),
    Bad("long-row.csv", b"1,2,1\n3,4,1,5\n", "Row 2 has 4 columns"),
    Bad("ragged-later.csv", b"x,y,l\n1,2,1\n3,4,1\n5,6\n", "Row 4 has 2 columns"),
    Bad("word.csv", b"x,y,label\n1,2,1\n3,abc,1\n", 'Row 3, column 2 (y) holds "abc"'),
    Bad("empty-cell.csv", b"1,2,1\n,4,1\n", "Row 2, column 1 (c1) is empty"),
    Bad("nan.csv", b"1,nan,1\n2,3,1\n", 'Row 1, column 2 (c2) holds "nan": NaN'),
    Bad("NaN.csv", b"1,2,1\n2,NaN,1\n", 'Row 2, column 2 (c2) holds "NaN"'),
    Bad("inf.csv", b"x,y,l\n1,2,1\ninf,3,1\n", 'Row 3, column 1 (x) holds "inf"'),
    Bad("minus-infinity.csv", b"1,2,1\n2,-Infinity,1\n", "NaN and infinities"),
    Bad("overflow.csv", b"1,2,1\n1e999,3,1\n", 'holds "1e999": NaN and infinities'),
    Bad("label-empty.csv", b"1,2,\n3,4,1\n", "Row 1, column 3 (the label) is empty"),
    Bad("label-nan.csv", b"1,2,1\n3,4,nan\n", "Row 2, column 3 (the label)"),
    Bad("label-inf.csv", b"1,2,1\n3,4,-inf\n", "NaN and infinities"),
    Bad(
        "eleven-classes.csv",
        "".join(f"{k},{k},{name}\n" for k, name in enumerate("abcdefghijk")).encode(),
        'Row 11, column 3 (the label): "k" is class number 11',
    ),
    Bad("one-class.csv", b"1,1,cat\n2,2,cat\n3,3,cat\n", "a classifier needs two classes"),
    Bad("latin1.csv", "x,y,étiquette\n1,2,1\n3,4,1\n".encode("latin-1"), "not UTF-8"),
    Bad("late-byte.csv", b"1,2,1\n3,4,1\n5,6,\xff\n", "Row 3: the byte 0xff is not UTF-8"),
    Bad("utf16.csv", "x,y,label\n1,2,1\n3,4,1\n".encode("utf-16"), "not UTF-8"),
    Bad("picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
    Bad("nul.csv", b"1,2,1\n3,\x004,1\n", "Row 2 holds a NUL character"),
    Bad("too-big.csv", b"1,2,1\n" * (MAX_BYTES // 6 + 1), "at most 1,000,000"),
    Bad("too-many-rows.csv", _rows(MAX_ROWS + 1), f"Row {MAX_ROWS + 1} is one too many"),
    Bad("too-many-with-header.csv", _rows(MAX_ROWS + 1, True), f"Row {MAX_ROWS + 2} is one"),
    Bad("open-quote.csv", b'1,2,1\n3,4,"one\n', "Row 2"),
    Bad("underscore.csv", b"1,2,1\n1_000,2,1\n", 'holds "1_000", not a number'),
    Bad("hex.csv", b"1,2,1\n0x1F,2,1\n", 'holds "0x1F", not a number'),
    Bad("arabic.csv", "1,2,1\n\u0663,2,1\n".encode(), "not a number"),
    Bad("inner-space.csv", b"1,2,1\n1 2,2,1\n", 'holds "1 2", not a number'),
    Bad("currency.csv", b"1,2,1\n$5,2,1\n", 'holds "$5", not a number'),
    Bad("decimal-comma.csv", b"1,5;2,5;1\n2,5;3,5;1\n3,5;4,5;1\n", 'holds "5;3", not a number'),
    Bad("dash.csv", b"1,2,1\n-,2,1\n", 'holds "-", not a number'),
    Bad("dot.csv", b"1,2,1\n.,2,1\n", 'holds ".", not a number'),
    Bad("bare-exponent.csv", b"1,2,1\n1e,2,1\n", 'holds "1e", not a number'),
    Bad("double-minus.csv", b"1,2,1\n--1,2,1\n", 'holds "--1", not a number'),
    Bad("tabs-ragged.csv", b"1\t2\t1\n3\t4\n", "Row 2 has 2 columns"),
    Bad(
        "table-nan.csv",
        (TABLE_ROW * 3).replace("1,1\n", "nan,1\n", 1).encode(),
        'Row 1, column 64 (c64) holds "nan"',
    ),
    Bad("scene.json", b'{"format": "tfp-reference/v1"}', "could not be opened as a scene"),
    Bad("not-a-scene.json", b'{"a": 1}', "does not say it is tfp-reference/v1"),
    Bad("broken.json", b'{"format": ', "it is not JSON text"),
]
