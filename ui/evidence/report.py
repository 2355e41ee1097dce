"""An order's evidence record as one HTML document, for the screen and for the PDF alike.

Everything comes from ``station.evidence.Evidence`` (rows the engine wrote when it decided);
nothing is computed here but layout. Every value is escaped: scans are whatever a scanner
read. Photos are referenced as ``photo:<sha256>`` resources that the caller adds to the
QTextDocument from images read on the database worker.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from html import escape

from PySide6.QtCore import QCoreApplication

from station.evidence import Evidence, PackageRecord

Row = Mapping[str, object]


# lupdate finds literal translate(context, text) calls; a wrapper taking a variable it cannot.
translate = QCoreApplication.translate


def photo_url(sha256: str) -> str:
    """The resource name of a photo in the document."""
    return f"photo:{sha256}"


def _cell(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:.0f}"
    return escape(str(value))


def _when(value: object) -> str:
    return "—" if not value else str(value).replace("T", " ")[:19]


def _h(level: int, text: str) -> str:
    return f"<h{level}>{escape(text)}</h{level}>"


def _p(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    if not body:
        return f"<p><i>{escape(translate('EvidenceReport', 'none recorded'))}</i></p>"
    return (
        "<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
        f"<tr>{head}</tr>{body}</table>"
    )


def _scans(scans: Sequence[Row]) -> str:
    headers = [
        translate("EvidenceReport", "When"),
        translate("EvidenceReport", "Who"),
        translate("EvidenceReport", "Scanned"),
        translate("EvidenceReport", "Verdict"),
        translate("EvidenceReport", "SKU"),
        translate("EvidenceReport", "Qty"),
    ]
    headers += [translate("EvidenceReport", "Serial / lot"), translate("EvidenceReport", "Undone")]
    rows = [
        (
            _when(s.get("at")),
            s.get("user"),
            s.get("raw"),
            s.get("verdict"),
            s.get("sku"),
            s.get("quantity"),
            s.get("serial") or s.get("lot"),
            translate("EvidenceReport", "undone") if s.get("undone") else "",
        )
        for s in scans
    ]
    return _table(headers, rows)


def _weights(weights: Sequence[Row]) -> str:
    headers = [
        translate("EvidenceReport", "When"),
        translate("EvidenceReport", "Who"),
        translate("EvidenceReport", "Grams"),
        translate("EvidenceReport", "Expected"),
        translate("EvidenceReport", "±"),
        translate("EvidenceReport", "Decision"),
    ]
    headers += [translate("EvidenceReport", "Reason"), translate("EvidenceReport", "Approved by")]
    rows = [
        (
            _when(w.get("at")),
            w.get("user"),
            w.get("weight_g"),
            w.get("expected_g"),
            w.get("tolerance_g"),
            w.get("decision"),
            w.get("reason"),
            w.get("approved_by"),
        )
        for w in weights
    ]
    return _table(headers, rows)


def _photos(photos: Sequence[Row], shown: Collection[str]) -> str:
    images = " ".join(
        f"<img src='{photo_url(str(ph['sha256']))}'>"
        for ph in photos
        if str(ph.get("sha256")) in shown
    )
    rows = [
        (
            _when(ph.get("at")),
            ph.get("user"),
            ph.get("kind"),
            str(ph.get("sha256"))[:16] + "…",
            translate("EvidenceReport", "yes")
            if ph.get("present")
            else translate("EvidenceReport", "no (purged or missing)"),
        )
        for ph in photos
    ]
    headers = [
        translate("EvidenceReport", "When"),
        translate("EvidenceReport", "Who"),
        translate("EvidenceReport", "Kind"),
        translate("EvidenceReport", "SHA-256"),
        translate("EvidenceReport", "On disk"),
    ]
    return (f"<p>{images}</p>" if images else "") + _table(headers, rows)


def _labels(labels: Sequence[Row]) -> str:
    headers = [
        translate("EvidenceReport", "Label"),
        translate("EvidenceReport", "Status"),
        translate("EvidenceReport", "Copies"),
        translate("EvidenceReport", "Printed"),
        translate("EvidenceReport", "Printer"),
    ]
    headers += [translate("EvidenceReport", "Last error"), translate("EvidenceReport", "Queued")]
    rows = [
        (
            lb.get("template"),
            lb.get("status"),
            lb.get("copies"),
            lb.get("printed"),
            lb.get("printer"),
            lb.get("last_error"),
            _when(lb.get("at")),
        )
        for lb in labels
    ]
    return _table(headers, rows)


def _package(p: PackageRecord, shown: Collection[str]) -> str:
    facts = translate(
        "EvidenceReport", "SSCC {sscc} · box {box} · weighed {w} g, expected {e} g: {status}"
    ).format(
        sscc=p.sscc or "—",
        box=p.box or "—",
        w=_cell(p.weight_g),
        e=_cell(p.expected_weight_g),
        status=p.weight_status,
    )
    times = translate("EvidenceReport", "Opened {opened}, closed {closed}").format(
        opened=_when(p.opened_at), closed=_when(p.closed_at)
    )
    return "".join(
        [
            _h(3, translate("EvidenceReport", "Package {no}").format(no=p.no)),
            _p(facts),
            _p(times),
            _h(4, translate("EvidenceReport", "Scans")),
            _scans(p.scans),
            _h(4, translate("EvidenceReport", "Weighings")),
            _weights(p.weights),
            _h(4, translate("EvidenceReport", "Photos")),
            _photos(p.photos, shown),
            _h(4, translate("EvidenceReport", "Labels")),
            _labels(p.labels),
        ]
    )


def _people(users: Sequence[Row]) -> str:
    rows = []
    for user in users:
        did = user.get("did")
        done = ", ".join(str(d) for d in did) if isinstance(did, list) else ""
        rows.append((user.get("name"), user.get("role"), done))
    return _table(
        [
            translate("EvidenceReport", "Name"),
            translate("EvidenceReport", "Role"),
            translate("EvidenceReport", "Did"),
        ],
        rows,
    )


def _exception_headers() -> list[str]:
    """The exceptions table's column titles."""
    return [
        translate("EvidenceReport", "When"),
        translate("EvidenceReport", "Kind"),
        translate("EvidenceReport", "Reason"),
        translate("EvidenceReport", "SKU"),
        translate("EvidenceReport", "Qty"),
        translate("EvidenceReport", "Requested by"),
        translate("EvidenceReport", "Approved by"),
    ]


def evidence_html(record: Evidence, shown: Collection[str], station: str) -> str:
    """The whole record as HTML; ``shown``: the SHA-256 of each photo that can be shown."""
    sessions = [
        (
            s.get("station"),
            s.get("user"),
            s.get("status"),
            _when(s.get("started_at")),
            _when(s.get("ended_at")),
        )
        for s in record.sessions
    ]
    exceptions = [
        (
            _when(e.get("at")),
            e.get("kind"),
            e.get("reason"),
            e.get("sku"),
            e.get("quantity"),
            e.get("requested_by"),
            e.get("approved_by"),
        )
        for e in record.exceptions
    ]
    packages = [_package(p, shown) for p in record.packages] or [
        _p(translate("EvidenceReport", "No package."))
    ]
    return "".join(
        [
            _h(
                1,
                translate("EvidenceReport", "Evidence of order {order}").format(order=record.order),
            ),
            _p(
                translate(
                    "EvidenceReport",
                    "Order status: {status}. Record taken at station {station}; times in UTC.",
                ).format(status=record.status, station=station)
            ),
            _h(2, translate("EvidenceReport", "Packing")),
            _table(
                [
                    translate("EvidenceReport", "Station"),
                    translate("EvidenceReport", "Who"),
                    translate("EvidenceReport", "Status"),
                    translate("EvidenceReport", "Started"),
                    translate("EvidenceReport", "Ended"),
                ],
                sessions,
            ),
            _h(2, translate("EvidenceReport", "People")),
            _people(record.users),
            _h(2, translate("EvidenceReport", "Packages")),
            *packages,
            _h(2, translate("EvidenceReport", "Exceptions")),
            _table(_exception_headers(), exceptions),
            _h(2, translate("EvidenceReport", "Documents")),
            _labels(record.labels),
        ]
    )
