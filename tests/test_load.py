"""qa.ingest.load: decoding report bytes, the two allowed text changes, and skipping bad files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from qa.ingest.load import LoadError, Skipped, decode, load_file, load_paths, title_of

REPORT = (
    "2018年度部门整体支出绩效自评报告\n"
    "\n"
    "一、部门概况\n"
    "2、公务接待费2.97万元，共接待65批216人次；\n"
    "3、公务用车购置及运行费2.88万元。\n"
)
BOM = b"\xef\xbb\xbf"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
UNDECODABLE = b"\x80\xff\x80\xff\xfe report \xff"


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- decode -------------------------------------------------------------------------


def test_decode_utf8() -> None:
    assert decode(REPORT.encode("utf-8")) == (REPORT, "utf-8")


def test_decode_utf8_bom_is_dropped() -> None:
    text, encoding = decode(BOM + REPORT.encode("utf-8"))
    assert encoding == "utf-8-sig"
    assert text == REPORT
    assert not text.startswith("\ufeff")


def test_decode_gbk_bytes() -> None:
    data = REPORT.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test data really is not UTF-8
    assert decode(data) == (REPORT, "gb18030")


def test_decode_gb18030_only_characters() -> None:
    text = "生僻字㐀𠮷䶮出现在报告中：接待费1.5万元。\n"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")  # these characters exist only in GB18030
    assert decode(text.encode("gb18030")) == (text, "gb18030")


@pytest.mark.parametrize("data", [b"", b" ", b"\n\n", b" \t\r\n \r\n\t"], ids=["empty", "space", "newlines", "mixed"])
def test_decode_empty_or_whitespace(data: bytes) -> None:
    with pytest.raises(LoadError, match="empty file"):
        decode(data)


@pytest.mark.parametrize(
    "data",
    [BOM, BOM + b" \r\n", "\u3000\u3000\n".encode()],
    ids=["bom-only", "bom-and-whitespace", "ideographic-spaces"],
)
def test_decode_blank_text_after_decoding_is_empty(data: bytes) -> None:
    with pytest.raises(LoadError, match="empty file"):
        decode(data)


def test_decode_png_like_binary() -> None:
    with pytest.raises(LoadError, match="binary file"):
        decode(PNG)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_without_bom(encoding: str) -> None:
    # Windows "Unicode" text saved without its BOM: NUL high bytes of ASCII characters, all at one parity
    text = "2020年岚溪县财政局“三公”经费支出2.97万元。\n公务接待费1.20万元。\n"
    assert decode(text.encode(encoding)) == (text, encoding)
    # 一 (U+4E00) puts its NUL at the other parity: a few of those still read as UTF-16
    sections = "一、部门概况\n2020年岚溪县财政局“三公”经费支出2.97万元，公务接待费1.20万元。\n"
    assert decode(sections.encode(encoding)) == (sections, encoding)


def test_decode_nul_bytes_at_both_parities_stay_binary() -> None:
    with pytest.raises(LoadError, match="NUL bytes"):
        decode(b"PK\x03\x04\x00\x00\x14\x00" + bytes(range(256)) * 8)


def test_decode_control_characters_without_nul_is_binary() -> None:
    with pytest.raises(LoadError, match=r"binary file \(control characters\)"):
        decode(b"\x01\x02\x03\x04\x05\x06" + "报告".encode())


def test_decode_undecodable_bytes() -> None:
    with pytest.raises(LoadError, match="not valid UTF-8 or GB18030/GBK"):
        decode(UNDECODABLE)


# --- load_file ----------------------------------------------------------------------


def test_load_file_utf8(tmp_path: Path) -> None:
    data = REPORT.encode()
    path = write(tmp_path, "r.txt", data)
    doc = load_file(path)
    sha = hashlib.sha256(data).hexdigest()
    assert doc.text == REPORT
    assert doc.encoding == "utf-8"
    assert doc.path == str(path)
    assert doc.title == "2018年度部门整体支出绩效自评报告"
    assert doc.sha256 == sha
    assert doc.doc_id == sha[:12]


def test_load_file_bom_keeps_offsets(tmp_path: Path) -> None:
    doc = load_file(write(tmp_path, "r.txt", BOM + REPORT.encode()))
    assert doc.text == REPORT
    assert doc.encoding == "utf-8-sig"
    assert doc.text.index("2.97万元") == REPORT.index("2.97万元")
    assert doc.title == "2018年度部门整体支出绩效自评报告"  # no BOM glued to the title


def test_load_file_gbk(tmp_path: Path) -> None:
    doc = load_file(write(tmp_path, "r.txt", REPORT.encode("gbk")))
    assert doc.text == REPORT
    assert doc.encoding == "gb18030"


def test_load_file_crlf_becomes_lf_and_nothing_else_changes(tmp_path: Path) -> None:
    original = "报告标题\r\n\r\n部门整体支出\t３,５１４.６９万元\u3000（全角）\r\n末行ＡＢＣ１２３\r\n"
    doc = load_file(write(tmp_path, "r.txt", original.encode()))
    assert doc.text == "报告标题\n\n部门整体支出\t３,５１４.６９万元\u3000（全角）\n末行ＡＢＣ１２３\n"
    assert "\r" not in doc.text
    assert "\t３,５１４.６９万元" in doc.text  # tab and full-width digits kept as printed


def test_load_file_bom_and_crlf(tmp_path: Path) -> None:
    doc = load_file(write(tmp_path, "r.md", BOM + REPORT.replace("\n", "\r\n").encode()))
    assert doc.text == REPORT
    assert doc.text[REPORT.index("65批") : REPORT.index("65批") + 3] == "65批"


def test_load_file_keeps_lone_cr(tmp_path: Path) -> None:
    doc = load_file(write(tmp_path, "r.txt", "甲\r乙\r\n丙".encode()))
    assert doc.text == "甲\r乙\n丙"


@pytest.mark.parametrize("suffix", [".TXT", ".Md", ".md"])
def test_load_file_supported_suffixes_any_case(tmp_path: Path, suffix: str) -> None:
    assert load_file(write(tmp_path, "r" + suffix, REPORT.encode())).text == REPORT


@pytest.mark.parametrize(
    ("name", "named"), [("r.doc", ".doc"), ("r.xls", ".xls"), ("README", "(none)"), ("r.txt.bak", ".bak")]
)
def test_load_file_unsupported_suffix(tmp_path: Path, name: str, named: str) -> None:
    path = write(tmp_path, name, REPORT.encode())
    with pytest.raises(LoadError) as info:
        load_file(path)
    message = str(info.value)
    assert f"unsupported file type {named}" in message
    assert ".txt" in message and ".md" in message


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty file"), (b" \n\t\n", "empty file"), (PNG, "binary file"), (UNDECODABLE, "not valid UTF-8")],
    ids=["empty", "whitespace", "binary", "undecodable"],
)
def test_load_file_bad_content(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(LoadError, match=reason):
        load_file(write(tmp_path, "bad.txt", data))


def test_load_file_missing_raises_load_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="cannot read"):
        load_file(tmp_path / "missing.txt")


# --- load_paths ---------------------------------------------------------------------


def test_load_paths_folder_with_good_and_bad_files(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    good = write(folder, "a_good.txt", REPORT.encode())
    nested = write(folder, "sub/c_other.md", "另一份报告\n人员编制数86人。\n".encode("gbk"))
    bad = {
        write(folder, "b_copy.txt", REPORT.encode()): "same content as an earlier file",
        write(folder, "d_empty.txt", b""): "empty file",
        write(folder, "e_blank.txt", b"  \r\n\t\n"): "empty file",
        write(folder, "f_image.txt", PNG): "binary file",
        write(folder, "g_garbled.txt", UNDECODABLE): "not valid UTF-8 or GB18030/GBK",
        write(folder, "h_report.pdf", b"%PDF-1.4\n"): "damaged PDF",
        write(folder, "i_report.doc", b"\xd0\xcf\x11\xe0"): "unsupported file type .doc",
    }
    write(folder, "README.md", "说明文件\n".encode())  # left out silently
    write(folder, ".hidden.txt", "隐藏\n".encode())  # hidden files are left out
    write(folder, ".git/notes.txt", "隐藏目录\n".encode())

    docs, skipped = load_paths([folder])

    assert [d.path for d in docs] == [str(good), str(nested)]
    assert [d.encoding for d in docs] == ["utf-8", "gb18030"]
    assert docs[1].text == "另一份报告\n人员编制数86人。\n"
    by_path = {s.path: s for s in skipped}
    assert set(by_path) == {str(p) for p in bad}
    for path, reason in bad.items():
        item = by_path[str(path)]
        assert isinstance(item, Skipped)
        assert reason in item.reason
        assert str(path) in str(item)
        assert reason in str(item)
    assert docs[0].doc_id in by_path[str(folder / "b_copy.txt")].reason


def test_load_paths_duplicate_named_twice(tmp_path: Path) -> None:
    path = write(tmp_path, "r.txt", REPORT.encode())
    docs, skipped = load_paths([path, path])
    assert len(docs) == 1
    assert len(skipped) == 1
    assert skipped[0].path == str(path)
    assert "same content" in skipped[0].reason


def test_load_paths_same_text_different_encoding_is_not_duplicate(tmp_path: Path) -> None:
    utf8 = write(tmp_path, "u.txt", REPORT.encode())
    gbk = write(tmp_path, "g.txt", REPORT.encode("gbk"))
    docs, skipped = load_paths([utf8, gbk])
    assert skipped == []
    assert [d.text for d in docs] == [REPORT, REPORT]
    assert docs[0].doc_id != docs[1].doc_id


def test_load_paths_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    docs, skipped = load_paths([missing])
    assert docs == []
    assert skipped == [Skipped(str(missing), "no such file or folder")]
    assert str(skipped[0]) == f"skipped {missing}: no such file or folder"


def test_load_paths_explicit_bad_file(tmp_path: Path) -> None:
    path = write(tmp_path, "x.txt", PNG)
    docs, skipped = load_paths([path])
    assert docs == []
    assert len(skipped) == 1
    assert str(path) in str(skipped[0])
    assert "binary" in str(skipped[0])


# --- title_of -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("2018年度部门整体支出绩效自评报告\n一、部门概况\n", "2018年度部门整体支出绩效自评报告"),
        ("\n\n   \n  部门决算说明  \n正文", "部门决算说明"),
        ("题" * 60 + "\n正文", "题" * 60),
        ("题" * 61 + "\n正文", "fallback"),
        ("", "fallback"),
        ("\n \n\t\n", "fallback"),
    ],
    ids=["first-line", "leading-blanks", "60-chars", "61-chars", "empty", "blank"],
)
def test_title_of(text: str, title: str) -> None:
    assert title_of(text, Path("/some/dir/fallback.txt")) == title


def test_hostile_file_names_are_skipped_or_read_never_fatal(tmp_path: Path) -> None:
    import os

    report = "2020年岚溪县卫生健康局“三公”经费决算情况说明\n\n公务接待费3.20万元。\n"
    (tmp_path / "bad\nname.txt").write_text(report, encoding="utf-8")  # a newline in the name: read
    with open(os.path.join(os.fsencode(tmp_path), b"\xff\xfe_gbk.txt"), "wb") as out:  # raw GBK bytes: skipped
        out.write(report.replace("2020", "2021").encode("gb18030"))
    os.symlink(tmp_path, tmp_path / "loop")  # a folder linking to itself is not walked forever
    docs, skipped = load_paths([tmp_path])
    assert [Path(d.path).name for d in docs] == ["bad\nname.txt"]
    assert [(Path(s.path).name, s.reason) for s in skipped] == [
        ("\\xff\\xfe_gbk.txt", "file name is not valid UTF-8: rename the file")
    ]
    str(skipped[0]).encode("utf-8")  # the skip can be printed
