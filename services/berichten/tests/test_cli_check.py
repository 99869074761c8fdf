"""`zorgketen berichten check` and `retour`: levels 1 and 2 without a server, JSON per file, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from berichten.cli import main

from .conftest import EXAMPLES, example


def run_check(capsys, *paths: Path) -> tuple[int, list[dict]]:
    code = main(["check", "--vandaag", "2026-11-23", *map(str, paths)])
    return code, [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_check_accepts_the_official_examples(capsys):
    accepted = [p for p in EXAMPLES if p.stem not in ("JW318", "WMO305", "WMO317")]  # see test_regels_voorbeelden
    code, results = run_check(capsys, *accepted)
    assert code == 0
    assert [r["bericht"] for r in results] == [p.stem for p in accepted]
    assert all(r["xsd_valid"] and r["findings"] == [] and r["geaccepteerd"] for r in results)


def test_check_reports_xsd_errors_findings_and_non_xml_and_exits_1(capsys, tmp_path):
    broken = tmp_path / "bsn.xml"
    broken.write_bytes(example("JW305").replace(b"999900006", b"999900007"))
    not_xml = tmp_path / "plain.txt"
    not_xml.write_text("hallo")
    code, (xsd_invalid, finding, refused) = run_check(capsys, [p for p in EXAMPLES if p.stem == "JW318"][0], broken, not_xml)
    assert code == 1
    assert xsd_invalid["berichtcode"] == 487 and not xsd_invalid["xsd_valid"] and xsd_invalid["xsd_errors"][0]["regel"] == 33
    assert finding["xsd_valid"] and finding["findings"] == [
        {"regel": "CS002", "retourcode": "0001", "locatie": "/Bericht/Client/Bsn", "melding": "Bsn 999900007 voldoet niet aan de 11-proef"}
    ]
    assert refused["error"]["reden"] == "geen_xml" and refused["berichtcode"] is None


def test_retour_prints_the_retourbericht_the_hub_would_send(capsys, tmp_path):
    broken = tmp_path / "bsn.xml"
    broken.write_bytes(example("JW305").replace(b"999900006", b"999900007"))
    assert main(["retour", "--vandaag", "2026-11-23", str(broken)]) == 0
    out = capsys.readouterr().out
    assert "<jw306:BerichtCode>439</jw306:BerichtCode>" in out
    assert "<jw306:RetourCode>0001</jw306:RetourCode>" in out and "<jw306:Client>" not in out


def test_retour_on_a_future_dagtekening_gives_8848(capsys, tmp_path):
    future = tmp_path / "future.xml"
    future.write_bytes(example("JW305").replace(b"<ijw:Dagtekening>2023-07-25</ijw:Dagtekening>", b"<ijw:Dagtekening>2027-01-01</ijw:Dagtekening>"))
    assert main(["retour", "--vandaag", "2026-11-23", str(future)]) == 0
    assert "<jw306:RetourCode>8848</jw306:RetourCode>" in capsys.readouterr().out


def test_retour_on_an_unknown_gemeente_gives_s300(capsys, tmp_path):
    unknown = tmp_path / "gemeente.xml"
    unknown.write_bytes(example("JW305").replace(b"<jw305:Ontvanger>0363</jw305:Ontvanger>", b"<jw305:Ontvanger>0001</jw305:Ontvanger>"))
    assert main(["retour", "--vandaag", "2026-11-23", str(unknown)]) == 0
    assert "<jw306:RetourCode>S300</jw306:RetourCode>" in capsys.readouterr().out


def test_console_script_is_installed_in_the_virtual_environment():
    script = shutil.which("zorgketen", path=str(Path(sys.executable).parent))
    assert script is not None, "make venv installs the zorgketen console script"
    result = subprocess.run([script, "berichten", "check", str(EXAMPLES[0])], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["xsd_valid"] is True
