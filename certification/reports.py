"""Reports as PDFs (reportlab platypus): the audit report and the self-assessment summary,
each with a chart of conformity per principle, page numbers and a generated-at stamp, in
English or French, with the embedded fonts of the certificate."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.formats import date_format
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether

from audits.models import Audit, CorrectiveAction, Evidence
from certification.labels import answer_text, day, explain, grade_in_words, label
from certification.pdf import BOLD, LANGUAGES, REGULAR, register_fonts
from scoring.models import Criterion, Principle, Question

TEXT = {
    "en": {
        "audit_report": "Audit report",
        "summary": "Self-assessment summary",
        "agency": "Agency",
        "kind": "Audit",
        "dates": "Stage 1 / stage 2",
        "completed": "Completed",
        "auditor": "Lead auditor",
        "standard": "Standard",
        "conformity": "Conformity per principle (%)",
        "scores": "Score per principle (%)",
        "zero_tolerance": "Zero-tolerance criteria not conforming",
        "forced_labour": "Findings showing forced-labour indicators",
        "findings": "Findings by principle",
        "corrective_actions": "Corrective actions",
        "discrepancies": "Discrepancies with the self-assessment",
        "gaps": "Gaps, most serious first",
        "criterion": "Criterion",
        "grade": "Grade",
        "found": "Found",
        "evidence": "Evidence",
        "due": "Plan due / closure due",
        "state": "State",
        "declared": "Declared",
        "readiness": "Readiness",
        "overall": "Overall score",
        "certifiable": "Certifiable",
        "yes": "yes",
        "no": "no",
        "none": "None.",
        "page": "Page {page}",
        "generated": "Generated {at} by fairrecruit",
        "reason": "Reason",
    },
    "fr": {
        "audit_report": "Rapport d'audit",
        "summary": "Synthèse de l'auto-évaluation",
        "agency": "Agence",
        "kind": "Audit",
        "dates": "Étape 1 / étape 2",
        "completed": "Terminé le",
        "auditor": "Auditeur principal",
        "standard": "Référentiel",
        "conformity": "Conformité par principe (%)",
        "scores": "Score par principe (%)",
        "zero_tolerance": "Critères à tolérance zéro non conformes",
        "forced_labour": "Constats présentant des indicateurs de travail forcé",
        "findings": "Constats par principe",
        "corrective_actions": "Actions correctives",
        "discrepancies": "Écarts avec l'auto-évaluation",
        "gaps": "Écarts à combler, les plus graves d'abord",
        "criterion": "Critère",
        "grade": "Niveau",
        "found": "Constat",
        "evidence": "Preuves",
        "due": "Plan dû / clôture due",
        "state": "État",
        "declared": "Déclaré",
        "readiness": "État de préparation",
        "overall": "Score global",
        "certifiable": "Certifiable",
        "yes": "oui",
        "no": "non",
        "none": "Aucun.",
        "page": "Page {page}",
        "generated": "Produit le {at} par fairrecruit",
        "reason": "Motif",
    },
}


class _Styles:
    def __init__(self):
        self.title = ParagraphStyle("title", fontName=BOLD, fontSize=18, leading=22, spaceAfter=6)
        self.heading = ParagraphStyle(
            "heading", fontName=BOLD, fontSize=13, leading=16, spaceBefore=10, spaceAfter=4
        )
        self.body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12)
        self.small = ParagraphStyle("small", fontName=REGULAR, fontSize=8, leading=10)


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _table(rows, widths, styles: _Styles, *, header: bool = True) -> Table:
    data = [[_p(cell, styles.small) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style = [("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if header:
        style += [
            ("FONTNAME", (0, 0), (-1, 0), BOLD),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f0")),
        ]
    table.setStyle(TableStyle(style))
    return table


def _chart(title: str, scores: list[tuple[str, float | None]]) -> Drawing:
    """Horizontal bars, one per principle, 0 to 100; a principle without score shows none."""
    height = 30 + 18 * len(scores)
    drawing = Drawing(170 * mm, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 10, 150 * mm - 30, height - 30
    chart.data = [[score if score is not None else 0 for _code, score in reversed(scores)]]
    chart.categoryAxis.categoryNames = [code for code, _score in reversed(scores)]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = REGULAR
    chart.bars[0].fillColor = colors.HexColor("#2e75b6")
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 12
    drawing.add(chart)
    drawing.add(String(0, height - 10, title, fontName=BOLD, fontSize=10))
    return drawing


def _build(story, labels, title: str) -> bytes:
    buffer = io.BytesIO()
    now = timezone.localtime()
    at = f"{date_format(now, 'DATETIME_FORMAT')} {timezone.get_current_timezone_name()}"
    stamp = labels["generated"].format(at=at)

    def decorate(canvas, document):
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.drawString(18 * mm, 10 * mm, stamp)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, labels["page"].format(page=document.page))
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="fairrecruit",
    )
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _text(obj, field: str, language: str) -> str:
    return getattr(obj, f"{field}_{language}")


def audit_report_pdf(audit: Audit, *, language: str = "en") -> bytes:
    """The audit with its result as stored at completion."""
    language = language if language in LANGUAGES else "en"
    register_fonts()
    with translation.override(language):
        return _audit_report(audit, language)


def _audit_report(audit: Audit, language: str) -> bytes:
    labels, styles = TEXT[language], _Styles()
    case = audit.case
    result = audit.result or {}
    criteria = {
        c.code: c
        for c in Criterion.objects.filter(standard=case.standard).select_related("principle")
    }
    principles = list(Principle.objects.filter(standard=case.standard).order_by("position"))
    findings = {f.criterion.code: f for f in audit.findings.select_related("criterion")}
    evidence = {}
    for item in Evidence.objects.filter(finding__audit=audit).select_related("finding__criterion"):
        evidence.setdefault(item.finding.criterion.code, []).append(
            f"{item.original_name} ({item.sha256[:12]})"
        )
    effective = {row["criterion"]: row for row in result.get("findings", [])}

    story = [_p(f"{labels['audit_report']}: {case.agency.name}", styles.title)]
    facts = [
        (
            labels["agency"],
            f"{case.agency.name}, {case.agency.country.name}, {case.agency.registration_number}",
        ),
        (labels["kind"], audit.get_kind_display()),
        (labels["dates"], f"{day(audit.stage1_date)} / {day(audit.stage2_date)}"),
        (
            labels["completed"],
            day(timezone.localdate(audit.completed_at)) if audit.completed_at else "—",
        ),
        (
            labels["auditor"],
            audit.lead_auditor.user.get_full_name() or audit.lead_auditor.user.username,
        ),
        (labels["standard"], f"{case.standard.code} {case.standard.version}"),
        (labels["certifiable"], labels["yes"] if result.get("certifiable") else labels["no"]),
    ]
    story.append(_table(facts, [45 * mm, 125 * mm], styles, header=False))
    scores = [(p["code"], p["score"]) for p in result.get("principles", [])]
    if scores:
        story += [Spacer(1, 6 * mm), _chart(labels["conformity"], scores)]

    def finding_rows(codes):
        rows = [[labels["criterion"], labels["grade"], labels["found"], labels["evidence"]]]
        for code in codes:
            finding = findings[code]
            grade = grade_in_words(finding)  # in the report's language, with why
            indicators = f" [{', '.join(finding.indicators)}]" if finding.indicators else ""
            rows.append(
                [
                    f"{code} {_text(criteria[code], 'text', language)}",
                    grade,
                    finding.text + indicators,
                    "; ".join(evidence.get(code, [])) or "—",
                ]
            )
        return rows

    widths = [60 * mm, 30 * mm, 50 * mm, 30 * mm]
    zero_tolerance = [
        code
        for code, f in findings.items()
        if criteria[code].zero_tolerance
        and effective.get(code, {}).get("effective_grade", f.grade) in ("minor", "major")
    ]
    tagged = [code for code, f in findings.items() if f.indicators]
    for heading, codes in (
        (labels["zero_tolerance"], zero_tolerance),
        (labels["forced_labour"], tagged),
    ):
        if codes:
            story += [
                _p(heading, styles.heading),
                _table(finding_rows(sorted(codes)), widths, styles),
            ]

    story.append(_p(labels["findings"], styles.heading))
    for principle in principles:
        codes = [
            code
            for code, c in criteria.items()
            if c.principle_id == principle.pk and code in findings
        ]
        if codes:
            codes.sort(key=lambda code: criteria[code].position)
            story.append(
                KeepTogether(
                    [
                        _p(f"{principle.code} {_text(principle, 'title', language)}", styles.body),
                        Spacer(1, 2 * mm),
                        _table(finding_rows(codes), widths, styles),
                        Spacer(1, 3 * mm),
                    ]
                )
            )

    story.append(_p(labels["corrective_actions"], styles.heading))
    actions = (
        CorrectiveAction.objects.filter(finding__audit=audit)
        .select_related("finding__criterion")
        .order_by("pk")
    )
    if actions:
        rows = [[labels["criterion"], labels["grade"], labels["due"], labels["state"]]]
        for action in actions:
            due = f"{day(action.plan_due)} / {day(action.closure_due) or '—'}"
            rows.append(
                [
                    action.finding.criterion.code,
                    label("grade", action.severity),
                    due,
                    action.get_state_display(),
                ]
            )
        story.append(_table(rows, [40 * mm, 30 * mm, 60 * mm, 40 * mm], styles))
    else:
        story.append(_p(labels["none"], styles.body))

    discrepancies = result.get("discrepancies")
    if discrepancies is not None:
        story.append(_p(labels["discrepancies"], styles.heading))
        if discrepancies:
            rows = [[labels["criterion"], labels["declared"], labels["found"]]]
            rows += [
                [d["criterion"], label("answer_status", d["declared"]), label("grade", d["found"])]
                for d in discrepancies
            ]
            story.append(_table(rows, [60 * mm, 55 * mm, 55 * mm], styles))
            story.append(_p(f"{result.get('discrepancy_share')} %", styles.body))
        else:
            story.append(_p(labels["none"], styles.body))
    return _build(story, labels, f"{labels['audit_report']} {case.agency.name}")


def self_assessment_summary_pdf(case, result: dict, *, language: str = "en") -> bytes:
    """The self-assessment's scores and gaps, with the reasons, for the agency."""
    language = language if language in LANGUAGES else "en"
    register_fonts()
    with translation.override(language):
        labels, styles = TEXT[language], _Styles()
        criteria = {c.code: c for c in Criterion.objects.filter(standard=case.standard)}
        story = [
            _p(f"{labels['summary']}: {case.agency.name}", styles.title),
            _table(
                [
                    (labels["standard"], f"{case.standard.code} {case.standard.version}"),
                    (labels["overall"], f"{result['overall_score']}"),
                    (
                        labels["readiness"],
                        " — ".join(
                            [label("readiness", result["readiness"])]
                            + [explain(r) for r in result["readiness_reasons"]]
                        ),
                    ),
                ],
                [45 * mm, 125 * mm],
                styles,
                header=False,
            ),
            Spacer(1, 6 * mm),
            _chart(labels["scores"], [(p["code"], p["score"]) for p in result["principles"]]),
            _p(labels["gaps"], styles.heading),
        ]
        if result["gaps"]:
            questions = {q.code: q for q in Question.objects.filter(standard=case.standard)}
            reasons = {}
            for reason in result["reasons"]:
                question = questions.get(reason["question"])
                answer = reason["answer"]
                if isinstance(answer, dict) or question is None:
                    shown = explain(answer)
                else:
                    shown = answer_text(question, answer) or label("answer_status", "unanswered")
                reasons.setdefault(reason["criterion"], []).append(
                    f"{reason['question']}: {shown} — {explain(reason['rule'], question)}"
                    f" — {explain(reason['effect'])}"
                )
            rows = [[labels["criterion"], labels["state"], labels["reason"]]]
            for gap in result["gaps"]:
                code = gap["criterion"]
                rows.append(
                    [
                        f"{code} {_text(criteria[code], 'text', language)}",
                        label("answer_status", gap["status"]),
                        "\n".join(reasons.get(code, [])),
                    ]
                )
            story.append(_table(rows, [65 * mm, 25 * mm, 80 * mm], styles))
        else:
            story.append(_p(labels["none"], styles.body))
        return _build(story, labels, f"{labels['summary']} {case.agency.name}")
