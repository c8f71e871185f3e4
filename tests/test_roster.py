"""Class rosters: what is accepted, and one-line errors that name the line."""

from __future__ import annotations

import pytest

from lstm_sym.classroom.roster import parse_roster, read_roster
from lstm_sym.errors import UserError
from lstm_sym.handouts.content import Student

NASTY = "O'Brien & {\\input{/etc/passwd}} 100%_$#^~"


def test_bom_crlf_quotes_scripts_and_extra_columns(tmp_path):
    text = ('\ufeff"ID", Name ,email\r\n'
            's001,"O\'Brien, Ann",a@x\r\n'
            's002,李小龙,\r\n'
            '\r\n'
            's-3.b,"Multi\nline  name",\r\n'
            f's004,"{NASTY.replace(chr(34), chr(34) * 2)}",\r\n')
    path = tmp_path / "roster.csv"
    path.write_bytes(text.encode("utf-8"))
    assert read_roster(path) == [Student("s001", "O'Brien, Ann"), Student("s002", "李小龙"),
                                 Student("s-3.b", "Multi line name"), Student("s004", NASTY)]


@pytest.mark.parametrize("text, message", [
    ("", "empty file"),
    ("id,nom\ns1,Ada\n", "line 1: missing column 'name' (found: id, nom)"),
    ("name\nAda\n", "line 1: missing column 'id'"),
    ("id,name\n", "no students"),
    ("id,name\ns1,Ada\ns2,Bo\nS1,Cy\n", "line 4: duplicate id 'S1' (first on line 2)"),
    ("id,name\ns1,Ada\ns2,  \n", "line 3: empty name for id 's2'"),
    ("id,name\n,Ada\n", "line 2: empty id"),
    ("id,name\n../x,Ada\n", "line 2: id '../x' is not a safe folder name"),
    ("id,name\n.hidden,Ada\n", "line 2: id '.hidden' is not a safe folder name"),
    ("id,name\na b,Ada\n", "line 2: id 'a b' is not a safe folder name"),
    ("id,name\ns1\n", "line 2: expected at least 2 fields, found 1"),
    ('id,name\ns1,"Ada\n', "not valid CSV"),
    ("id,name\ns1,A\x07da\n", "line 2: the name for id 's1' contains a control character"),
])
def test_bad_rosters_name_the_line(text, message):
    with pytest.raises(UserError) as err:
        parse_roster(text, "roster.csv")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_line_numbers_count_multiline_records():
    with pytest.raises(UserError, match="line 4: duplicate id 's1'"):
        parse_roster('id,name\ns1,"A\nB"\ns1,C\n', "r")


def test_unreadable_and_non_utf8_files(tmp_path):
    with pytest.raises(UserError, match="--students: cannot read"):
        read_roster(tmp_path / "missing.csv")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("id,name\ns1,Ada\ns2,Zoë\n".encode("latin-1"))
    with pytest.raises(UserError, match=r"line 3 \(byte 20\): not UTF-8"):
        read_roster(latin1)


def test_a_roster_is_read_as_every_csv_file(tmp_path):
    # one CSV reader (csvio) for answers and rosters: Excel's semicolons and tabs too
    for text in ("id;name\ns1;Ada\n", "ID\tName\ns1\tAda\n"):
        assert parse_roster(text, "r") == [Student("s1", "Ada")]
    with pytest.raises(UserError, match="^r: empty file .*'id,name'"):
        parse_roster("\n\n", "r")
    with pytest.raises(UserError, match="is a folder"):
        read_roster(tmp_path)
