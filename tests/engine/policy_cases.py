"""Each body's rule against the worked examples its own sources publish.

One entry per example: the rule's id in ``directory_data/credit_systems.csv``, the input
(contact minutes, or academic credits), the figure the source gives, and the source's
words. The unit tests run every case through ``ceu`` as a subprocess and through the
shared runner; the parity test runs the runner in the site's Pyodide, so the CLI, CPython
and the browser are held to the bodies' own arithmetic, not to ours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.conftest import REPO_ROOT

PUBLISHED_SYSTEMS = (REPO_ROOT / "directory_data" / "credit_systems.csv").read_text(encoding="utf-8")

IACET_BLOG = "https://www.iacet.org/news/iacet-blog/blog-articles/six-steps-to-submitting-ceu-calculations/"
ASHA = "https://apps.asha.org/eweb/OLSDynamicPage.aspx?webcode=olsceuinfo"
ASHA_CHART = "https://teacherscollegesj.org/does-1-ceu-equal-1-hour/ (third-party copy of ASHA's chart)"
NBCOT = "https://www.nbcot.org/certification/continuing-education"
NBCOT_BLOG = "https://otcertificationmatters.com/2021/07/19/ceu-pdu-cau-what-do-they-all-mean/"
ACE_FAQ = "https://www.acefitness.org/faqs/faqs.aspx?faq=Continuing+Education+Credits+(CECs)"
ACE_ARTICLE = (
    "https://www.acefitness.org/education-and-resources/professional/expert-articles/7789/"
    "creative-ways-to-earn-ace-continuing-education-credits/"
)
HRCI = "https://www-dev2.hrci.org/recertifications (HRCI's staging host)"
SHRM = "https://shrm.org/certification/recertification/qualifyingcreditactivities/pages/default.aspx"
PMI = "https://pminacconference.com/about/pdus/ (third party: a PMI chapter giving PMI's definition)"
NASBA = (
    "https://nasbaregistry.org/what-sponsors-need-to-know/"
    "wondered-determine-increment-continuing-professional-education-cpe-credits-use-providing-credits-learners"
)
NC_PDH = "21 NCAC 56 .1704, reports.oah.state.nc.us"
CEU_PLAN = "https://studylib.net/doc/7246660/ceu-calculation-policy (copy of CEU Plan's policy)"
ASHRAE = "http://www.ashrae.org/education--certification/certification/renewal-recertification-requirements"
ABIH = "http://www.abih.org/maintain-certification/cm-credit-education-events"
ASQ = "https://asq.org/cert/recertification/rucredits/earn-rus"
COMPTIA = "https://www.comptia.org/en-us/resources/ce/choose/renewing-with-multiple-activities/training-and-higher-education/"
NASM = "https://open-exam-prep.com/study-guides/nasm-cpt/... (third-party study guide)"
NRPA = "learning.nrpa.org/ceupolicyupdated (NRPA's CEU policy)"
GHD = "http://www.ghdlearning.com/en/industryprofessionals/continuingeducationunitsprofessionaldevelopmenthou.asp"
MCAFEE = "https://www.manula.com/manuals/mcafee-institute/course-catalog/1/en/topic/cpe-credits"
MCAFEE_MANUAL = "https://manuals.mcafeeinstitute.com/policy/8.18/en/topic/measuring-cpe-hours"
CLEVELAND = "http://www2.clevelandstatecc.edu/about/policy-manual/policy-2-03-02-00"
BLUE_RIDGE = (
    "https://blueridgecc.atlassian.net/wiki/spaces/FINALPPM/pages/582254604/7.2.2+Continuing+Education+Units"
)
GRADUATE_SCHOOL = "https://www.graduateschool.edu/content/update-on-college-level-clock-hours-and-continuing-education-units-ceus"


@dataclass(frozen=True)
class PolicyCase:
    id: str
    policy: str
    #: The figure the source gives; "" when the source says the time earns nothing.
    expected: str
    source: str
    says: str
    minutes: str = ""
    semester: str = ""
    quarter: str = ""
    condition_met: bool = False
    cli_extra: tuple[str, ...] = field(default=())

    def as_engine_case(self) -> dict[str, Any]:
        """The same case for tests/engine/runner.py (the shared case table's shape)."""
        given: dict[str, Any] = {"systems_csv": PUBLISHED_SYSTEMS, "policy": self.policy}
        if self.minutes:
            given |= {"minutes": self.minutes, "condition_met": self.condition_met}
        else:
            given |= {"semester": self.semester or "0", "quarter": self.quarter or "0"}
        if self.minutes:
            expected: dict[str, Any] = {"reported": self.expected or "0", "earns": bool(self.expected)}
        else:
            expected = {"units": self.expected}
        return {
            "id": f"policy-{self.id}",
            "kind": "policy",
            "source": f"{self.source}: {self.says}",
            "input": given,
            "expected": expected,
        }


CASES = (
    PolicyCase(
        "iacet-30-minutes",
        "iacet-ceu",
        "0.1",
        IACET_BLOG,
        "your 30-minute learning event is .1 CEU",
        minutes="30",
    ),
    PolicyCase(
        "iacet-under-30",
        "iacet-ceu",
        "",
        IACET_BLOG,
        "no learning event should be less than .1 CEU",
        minutes="29",
    ),
    PolicyCase(
        "asha-938-minutes",
        "asha-ceu",
        "1.55",
        ASHA,
        "11 hours, 38 minutes and four live chats totaling 4 hours ... 1.55 ASHA CEUs",
        minutes="938",
    ),
    PolicyCase("asha-90-minutes", "asha-ceu", "0.15", ASHA_CHART, "90 | 1.5 | 0.15", minutes="90"),
    PolicyCase(
        "asha-59-minutes", "asha-ceu", "0.05", ASHA_CHART, "31-59 | Round down to .5 | 0.05", minutes="59"
    ),
    PolicyCase(
        "nbcot-contact-hour",
        "nbcot-pdu",
        "1",
        NBCOT,
        "0.1 Continuing Education Unit (CEU) = 1 PDU",
        minutes="60",
    ),
    PolicyCase(
        "nbcot-one-ceu",
        "nbcot-pdu",
        "10",
        NBCOT_BLOG,
        "earns 1 CEU. This would equal 10 PDUs.",
        minutes="600",
    ),
    PolicyCase(
        "nbcot-assessed-hour",
        "nbcot-pdu",
        "1.25",
        NBCOT,
        "One contact hour ... with an assessment component at the end of the program ... = 1.25 PDU",
        minutes="60",
        condition_met=True,
    ),
    PolicyCase("ace-20-hours", "ace-cec", "2", ACE_FAQ, "2.0 (20 hours) CECs", minutes="1200"),
    PolicyCase(
        "ace-semester-unit", "ace-cec", "1", ACE_ARTICLE, "Semester = 1.0 CEC per unit.", semester="1"
    ),
    PolicyCase(
        "ace-quarter-unit", "ace-cec", "0.8", ACE_ARTICLE, "Quarter = 0.8 CECs per unit.", quarter="1"
    ),
    PolicyCase(
        "hrci-75-minutes", "hrci-credit", "1.25", HRCI, "a 75-minute session equals 1.25", minutes="75"
    ),
    PolicyCase(
        "hrci-5-hours-20",
        "hrci-credit",
        "5.25",
        HRCI,
        "five hours and 20 minutes of actual educational time ... round the number of recertification credit hours to 5.25",
        minutes="320",
    ),
    PolicyCase(
        "hrci-44-minutes", "hrci-credit", "", HRCI, "must be at least 45 minutes in length", minutes="44"
    ),
    PolicyCase("shrm-one-hour", "shrm-pdc", "1", SHRM, "1-hour educational program = 1 PDC", minutes="60"),
    PolicyCase("shrm-15-minutes", "shrm-pdc", "0.25", SHRM, "Each 15- minute increment = .25", minutes="15"),
    PolicyCase("pmi-one-hour", "pmi-pmp-pdu", "1", PMI, "one PDU is earned for every one hour", minutes="60"),
    PolicyCase(
        "pmi-75-minutes",
        "pmi-pmp-pdu",
        "1.25",
        PMI,
        "reported in 0.25 increments following one full hour",
        minutes="75",
    ),
    PolicyCase(
        "pmi-45-minutes", "pmi-pmp-pdu", "", PMI, "0.25 increments following one full hour", minutes="45"
    ),
    PolicyCase(
        "nasba-140-fifths",
        "nasba-cpe-fifths",
        "2.8",
        NASBA,
        "140 minutes ... two and four-fifths credit",
        minutes="140",
    ),
    PolicyCase(
        "nasba-140-halves",
        "nasba-cpe-halves",
        "2.5",
        NASBA,
        "140 minutes ... two and one-half credits",
        minutes="140",
    ),
    PolicyCase(
        "nasba-100", "nasba-cpe-fifths", "2", NASBA, "100 minutes would offer two CPE credits", minutes="100"
    ),
    PolicyCase(
        "nc-pdh-ceu", "nc-engineering-pdh", "10", NC_PDH, "1 Continuing Education Unit. 10 PDH", minutes="600"
    ),
    PolicyCase(
        "nc-pdh-semester",
        "nc-engineering-pdh",
        "45",
        NC_PDH,
        "1 College or unit semester hour. 45 PDH",
        semester="1",
    ),
    PolicyCase(
        "nc-pdh-quarter",
        "nc-engineering-pdh",
        "30",
        NC_PDH,
        "1 College or unit quarter hour. 30 PDH",
        quarter="1",
    ),
    PolicyCase(
        "ceu-plan-50",
        "ceu-plan-last-hour-50-minutes",
        "0.1",
        CEU_PLAN,
        "50-60 minutes = 1 contact hour or 0.1 ceu credit",
        minutes="50",
    ),
    PolicyCase(
        "ceu-plan-49",
        "ceu-plan-last-hour-50-minutes",
        "",
        CEU_PLAN,
        "00-49 minutes = .0 contact hour",
        minutes="49",
    ),
    PolicyCase(
        "cleveland-10-hours",
        "cleveland-state-nearest-tenth-hour",
        "1",
        CLEVELAND,
        "1.0 C.E.U. is awarded for every 10 contact hours",
        minutes="600",
    ),
    PolicyCase(
        "blue-ridge-59-minutes",
        "blue-ridge-one-hour-minimum",
        "",
        BLUE_RIDGE,
        "CEU's are awarded for any program that is at least one hour in length",
        minutes="59",
    ),
    PolicyCase(
        "graduate-school-4-hours",
        "graduate-school-usa-half-ceu-minimum",
        "",
        GRADUATE_SCHOOL,
        "not less than 0.5 CEU per course",
        minutes="240",
    ),
    PolicyCase(
        "graduate-school-5-hours",
        "graduate-school-usa-half-ceu-minimum",
        "0.5",
        GRADUATE_SCHOOL,
        "not less than 0.5 CEU per course",
        minutes="300",
    ),
    PolicyCase(
        "ashrae-one-hour", "ashrae-ace", "1", ASHRAE, "one ACE unit for each hour of attendance", minutes="60"
    ),
    PolicyCase(
        "ashrae-semester",
        "ashrae-ace",
        "15",
        ASHRAE,
        "15 ACEs per credit hour (semester system)",
        semester="1",
    ),
    PolicyCase("ashrae-quarter", "ashrae-ace", "10", ASHRAE, "10 ACEs (quarter system)", quarter="1"),
    PolicyCase("abih-90-minutes", "abih-cih-cm", "0.25", ABIH, "1.5 hours = 0.25 CM point", minutes="90"),
    PolicyCase(
        "abih-under-an-hour",
        "abih-cih-cm",
        "",
        ABIH,
        "IH or safety and is at least one hour in duration",
        minutes="59",
    ),
    PolicyCase(
        "abih-semester",
        "abih-cih-cm",
        "2.5",
        ABIH,
        "15 hours (2.5 CM points) per academic semester credit-hour",
        semester="1",
    ),
    PolicyCase("abih-quarter", "abih-cih-cm", "1.67", ABIH, "10 hours (1.67 CM point)", quarter="1"),
    PolicyCase(
        "asq-one-hour", "asq-ru", "0.1", ASQ, "Professional Development 0.1 RU per hour", minutes="60"
    ),
    PolicyCase(
        "comptia-one-hour", "comptia-ceu", "1", COMPTIA, "one CEU for each hour of training", minutes="60"
    ),
    PolicyCase("nasm-10-hours", "nasm-cpt-ceu", "1", NASM, "One CEU equals 10 contact hours", minutes="600"),
    PolicyCase(
        "nrpa-one-hour", "nrpa-cprp-ceu", "0.1", NRPA, "One hour of learning = 0.1 NRPA CEU.", minutes="60"
    ),
    PolicyCase(
        "ghd-one-hour",
        "ghd-whole-hours",
        "0.1",
        GHD,
        "1 hour of in-class teaching (contact) time = 0.1 CEU",
        minutes="60",
    ),
    PolicyCase(
        "ghd-partial-hour",
        "ghd-whole-hours",
        "0.1",
        GHD,
        "Partial hours must be rounded to the lowest whole hour",
        minutes="119",
    ),
    PolicyCase(
        "mcafee-125-minutes",
        "mcafee-half-credits",
        "2.5",
        MCAFEE_MANUAL,
        "five 25-minute training course segments would equal 125 minutes and should be counted as 2.5 CPE hours",
        minutes="125",
    ),
    PolicyCase(
        "mcafee-rounded-down",
        "mcafee-half-credits",
        "1",
        MCAFEE,
        "time is rounded down to the nearest full or half credit",
        minutes="74",
    ),
)

#: The rules every case table must cover (the issue's list, by the ids they have in the table).
REQUIRED_POLICIES = (
    "iacet-ceu",
    "asha-ceu",
    "hrci-credit",
    "shrm-pdc",
    "pmi-pmp-pdu",
    "nbcot-pdu",
    "ace-cec",
    "nasba-cpe-fifths",
    "nc-engineering-pdh",
)
