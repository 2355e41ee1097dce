"""SSCC-18 of a package: extension digit + GS1 company prefix + serial reference + check.

The serial reference is the package's row id, zero-padded: deterministic and unique per
package within one station database. Stations sharing a company prefix must each have
their own extension digit (``[labels] sscc_extension``), or their SSCCs would collide.
The SSCC is stored in ``packages.sscc`` the first time; later labels reuse the stored one,
so a reprint after a settings change still shows the number already on the box.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from station.config import LabelSettings
from station.db.models import Package
from station.gtin import check_digit, with_check_digit
from station.labels.errors import LabelError

SSCC_LENGTH = 18


def sscc_for(package_id: int, labels: LabelSettings) -> str:
    """The SSCC of package ``package_id`` under the configured prefix and extension."""
    prefix = labels.gs1_company_prefix
    if not (prefix.isascii() and prefix.isdigit() and 6 <= len(prefix) <= 12):
        raise LabelError(f"[labels] gs1_company_prefix must be 6 to 12 digits, not {prefix!r}")
    if not 0 <= labels.sscc_extension <= 9:
        raise LabelError(f"[labels] sscc_extension must be a digit, not {labels.sscc_extension}")
    serial_digits = SSCC_LENGTH - 2 - len(prefix)
    if not 0 < package_id < 10**serial_digits:
        raise LabelError(
            f"package id {package_id} does not fit the {serial_digits}-digit serial reference "
            f"left by company prefix {prefix}"
        )
    return with_check_digit(f"{labels.sscc_extension}{prefix}{package_id:0{serial_digits}d}")


def is_valid_sscc(code: str) -> bool:
    """True for 18 ASCII digits whose last is the GS1 check digit of the others."""
    return (
        len(code) == SSCC_LENGTH
        and code.isascii()
        and code.isdigit()
        and check_digit(code[:-1]) == int(code[-1])
    )


def assign_sscc(session: Session, package: Package, labels: LabelSettings) -> str:
    """The package's SSCC, computed and committed on first use, the stored one after."""
    if package.sscc:
        return package.sscc
    package.sscc = sscc_for(package.id, labels)
    session.commit()
    return package.sscc
