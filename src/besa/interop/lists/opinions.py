"""Recording compliance opinions on suppliers and re-screening their running contracts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from besa.interop.lists.compliance import ParsedOpinions
from besa.interop.lists.entries import Skipped
from besa.interop.lists.rescreen import RescreenReport, rescreen
from besa.registry.models import ComplianceOpinion, Supplier


@dataclass
class OpinionsReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    rescreen: RescreenReport = field(default_factory=RescreenReport)


def record_opinions(parsed: ParsedOpinions, now: dt.datetime) -> OpinionsReport:
    """Store the opinions in one transaction (a row for an RFC no supplier has is skipped
    and reported), then re-evaluate the running contracts of the suppliers whose opinions
    changed, so A17 opens or is corrected at once. Must be idempotent: the same file again
    changes nothing (one row per supplier, source and folio)."""
    report = OpinionsReport(skipped=list(parsed.skipped))
    changed: set[str] = set()
    with transaction.atomic():
        suppliers = {
            s.rfc: s for s in Supplier.objects.filter(rfc__in={o.rfc for o in parsed.opinions})
        }
        for opinion in parsed.opinions:
            supplier = suppliers.get(opinion.rfc)
            if supplier is None:
                report.skipped.append(
                    Skipped(
                        opinion.line, f"proveedor no registrado / unknown supplier {opinion.rfc}"
                    )
                )
                continue
            values = {
                "result": opinion.result,
                "issued_on": opinion.issued_on,
                "valid_until": opinion.valid_until,
            }
            row = ComplianceOpinion.objects.filter(
                supplier=supplier, source=opinion.source, folio=opinion.folio
            ).first()
            if row is None:
                ComplianceOpinion.objects.create(
                    supplier=supplier, source=opinion.source, folio=opinion.folio,
                    recorded_at=now, **values,
                )  # fmt: skip
                report.created += 1
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                row.save(update_fields=list(values))
                report.updated += 1
            else:
                report.unchanged += 1
                continue
            changed.add(opinion.rfc)
    report.skipped.sort(key=lambda s: s.line)
    report.rescreen = rescreen(changed, now)
    return report
