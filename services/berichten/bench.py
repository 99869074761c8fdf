"""`make bench` (codec part): levels 1 and 2 on a generated 25 MB 323 and on 10,000 small 301s.

Prints MB/s, messages/s, peak memory (each case runs in a process of its own) and the ratio to bare
lxml (parse + XSD validation of the same bytes), the target being at most 2x. Also the hub's own
check of a 2.3 MB 323 (levels 1 to 4, as `Ontvang` runs it). Times are CPU seconds of the process
(`time.process_time`): on a machine shared with other work they vary far less than wall-clock time,
which counts the time spent waiting for a core; on an idle machine the two are the same. A case of
one message is timed REPEAT times within its process, and every case runs ROUNDS times, bare and
ours alternately, each time in a new process; the fastest time counts (as `timeit` does), for both sides.
"""

from __future__ import annotations

import copy
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date

from lxml import etree

from berichten.codec.schemas import STANDAARD_DIR

VANDAAG = date(2026, 11, 23)
TARGET_BYTES = 25 * 1024 * 1024 - 64 * 1024


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _elfproef_bsns(count: int) -> list[str]:
    result = []
    n = 0
    while len(result) < count:
        head = f"{10000000 + n:08d}"
        n += 1
        check = sum(w * int(d) for w, d in zip(range(9, 1, -1), head)) % 11
        if check < 10:
            result.append(head + str(check))
    return result


def grote_declaratie(target: int = TARGET_BYTES) -> bytes:
    """The official JW323 grown to ~25 MB: many Clients with unique Bsn and ReferentieNummers, totals right."""
    root = etree.fromstring((STANDAARD_DIR / "ijw/3.2/examples/JW323.xml").read_bytes(), etree.XMLParser(remove_blank_text=True))
    clienten = next(e for e in root.iter() if isinstance(e.tag, str) and _local(e) == "Clienten")
    template = copy.deepcopy(clienten[0])
    for child in list(clienten):
        clienten.remove(child)
    one = len(etree.tostring(template))
    count = target // one
    total = 0
    for i, bsn in enumerate(_elfproef_bsns(count)):
        client = copy.deepcopy(template)
        for element in client.iter():
            if not isinstance(element.tag, str):
                continue
            name = _local(element)
            if name == "Bsn":
                element.text = bsn
            elif name == "ReferentieNummer":
                element.text = f"R{i:08d}{element.text[-4:]}"[:20]
            elif name == "VorigReferentieNummer":
                element.text = f"V{i:08d}{element.text[-4:]}"[:20]
        for bedrag in (e for e in client.iter() if isinstance(e.tag, str) and _local(e) == "IngediendBedrag"):
            value = int(next(c for c in bedrag if _local(c) == "Bedrag").text)
            sign = next(c for c in bedrag if _local(c) == "DebetCredit").text
            total += -value if sign == "C" else value
        clienten.append(client)
    totaal = next(e for e in root.iter() if isinstance(e.tag, str) and _local(e) == "TotaalIngediendBedrag")
    next(c for c in totaal if _local(c) == "TotaalBedrag").text = str(abs(total))
    next(c for c in totaal if _local(c) == "DebetCredit").text = "C" if total < 0 else "D"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def kleine_toewijzingen(count: int = 10_000) -> list[bytes]:
    source = (STANDAARD_DIR / "ijw/3.2/examples/JW301.xml").read_bytes()
    marker = source[source.index(b"<ijw:Identificatie>") : source.index(b"</ijw:Identificatie>")]
    return [source.replace(marker, b"<ijw:Identificatie>" + f"{i:012d}".encode()) for i in range(count)]


REPEAT = 5
ROUNDS = 5
HUB_BYTES = 2_300_000  # a month of one aanbieder's declaraties for one gemeente, roughly


def _bare(messages: list[bytes]) -> float:
    from berichten.codec.codec import Codec
    from berichten.codec.xml import _parser

    codec = Codec()
    schema = codec.schemas.schema(codec.schemas.identify(etree.fromstring(messages[0])))

    def run() -> None:
        for data in messages:
            tree = etree.ElementTree(etree.fromstring(data, _parser()))
            assert schema.validate(tree)

    return _fastest(run, messages)


def _ours(messages: list[bytes], hub: bool = False) -> float:
    from berichten.controle import NIVEAU_2, NIVEAUS_HUB, Controleur

    controleur = Controleur()
    niveaus = NIVEAUS_HUB if hub else NIVEAU_2
    controleur.controleer(messages[0], VANDAAG, niveaus)  # compile schemas, load rule metadata and code lists

    def run() -> None:
        for data in messages:
            uitslag = controleur.controleer(data, VANDAAG, niveaus)
            assert uitslag.geaccepteerd, (uitslag.decoded.xsd_fouten[:3], uitslag.bevindingen[:3])

    return _fastest(run, messages)


def _fastest(run: Callable[[], None], messages: list[bytes]) -> float:
    """CPU seconds of `run`; for a single message the fastest of REPEAT runs."""
    times = []
    for _ in range(REPEAT if len(messages) == 1 else 1):
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return min(times)


def _messages(name: str) -> list[bytes]:
    if name == "323":
        return [grote_declaratie()]
    if name == "hub":
        return [grote_declaratie(HUB_BYTES)]
    return kleine_toewijzingen()


def _case(name: str, mode: str) -> None:
    """Runs one case in this process and prints its figures as JSON (for the parent)."""
    messages = _messages(name)
    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds = _bare(messages) if mode == "bare" else _ours(messages, hub=name == "hub")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "bytes": sum(map(len, messages)), "count": len(messages), "peak_kb": peak, "baseline_kb": baseline_rss}))


def _run(name: str, mode: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "berichten.bench", "--case", name, mode], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _rounds(name: str) -> tuple[dict, dict]:
    """Bare lxml and ours, each in a process of its own, alternately ROUNDS times; the fastest of each
    counts (the load of a shared machine changes from one process to the next), and the highest peak."""
    runs: dict[str, list[dict]] = {"bare": [], "ours": []}
    for _ in range(ROUNDS):
        for mode in runs:
            runs[mode].append(_run(name, mode))
    bare, ours = (min(runs[mode], key=lambda r: r["seconds"]) | {"peak_kb": max(r["peak_kb"] for r in runs[mode])} for mode in runs)
    return bare, ours


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--case":
        _case(sys.argv[2], sys.argv[3])
        return
    print("berichten codec — levels 1 (XSD) and 2 (60 in-message rules) vs bare lxml parse + XSD validation (CPU seconds)")
    for name, label in (("323", "one generated 323"), ("301", "10,000 small 301s"), ("hub", "hub: 323, levels 1-4")):
        bare, ours = _rounds(name)
        mb = ours["bytes"] / 1024 / 1024
        print(
            f"  {label:<20} {mb:7.1f} MB in {ours['count']:>6} msg: "
            f"ours {ours['seconds']:6.2f}s = {mb / ours['seconds']:6.1f} MB/s, {ours['count'] / ours['seconds']:8.0f} msg/s, "
            f"peak RSS {ours['peak_kb'] / 1024:6.0f} MB | bare lxml {bare['seconds']:6.2f}s, peak {bare['peak_kb'] / 1024:6.0f} MB "
            f"| ratio {ours['seconds'] / bare['seconds']:4.1f}x (target <= 2x)"
        )


if __name__ == "__main__":
    main()
