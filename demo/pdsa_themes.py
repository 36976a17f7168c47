"""The stories of the demo's PDSA work: one theme per team (an aim, a key driver
diagram and the change ideas its cycles test), invented for demonstration.

Each theme matches the goals of the teams that follow it (demo/world.py): weighing
in kilograms, abnormal vital sign notification, pain reassessment, suicide
screening, a pediatric emergency care coordinator, disaster reunification and surge.
demo/pdsa.py turns them into aims, diagrams, ramps of cycles and comments.
"""

from dataclasses import dataclass, field


@dataclass
class Idea:
    title: str
    who: str
    measure: str
    lessons: list[str]
    problems: list[str] = field(default_factory=list)
    gap_item: str = ""


@dataclass
class Theme:
    #: The aim statement; `{by_when}` becomes the month and year it is due.
    aim: str
    what: str
    how_much: str
    #: The aim is due at the end of the month this many months before the collaborative's
    #: last month (so it falls inside the collaborative, whenever the demo is seeded).
    months_before_end: int
    for_whom: str
    #: primary driver -> [(secondary driver, [ideas])]
    drivers: list[tuple[str, list[tuple[str, list[Idea]]]]]


THEMES: dict[str, Theme] = {
    "weight": Theme(
        aim="By {by_when}, 95% of children seen in our emergency department are weighed in "
        "kilograms only, and the weight is recorded in kilograms in the chart.",
        what="children weighed and recorded in kilograms only",
        how_much="from about 60% to 95%",
        months_before_end=2,
        for_whom="every child under 18 seen in our emergency department",
        drivers=[
            (
                "Equipment that shows kilograms only",
                [
                    (
                        "Scales locked to kilograms",
                        [
                            Idea(
                                "Lock the triage scale to kilograms",
                                "the triage nurse",
                                "children weighed on the locked scale",
                                [
                                    "Nurses did not miss the pounds display once they saw the "
                                    "dosing chart is in kilograms.",
                                    "Parents ask for pounds; a printed conversion card at "
                                    "triage answers them without unlocking the scale.",
                                    "The second scale in the fast track still showed pounds: "
                                    "lock every scale, not just one.",
                                    "Night shift needed a one-minute huddle; after it the "
                                    "process held.",
                                ],
                                [
                                    "The fast-track scale was not locked.",
                                    "A new travel nurse had not heard of the change.",
                                ],
                                gap_item="Weight in kilograms only",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Staff know why kilograms matter",
                [
                    (
                        "Every shift hears the reason",
                        [
                            Idea(
                                "Two-minute huddle script on weight-based dosing errors",
                                "the charge nurse",
                                "triage nurses who can say why we weigh in kilograms",
                                [
                                    "A real near-miss story (a tenfold dosing error avoided) "
                                    "convinced more than the policy did.",
                                    "Huddles at shift change reach everyone; the 10:00 huddle "
                                    "missed the night shift.",
                                    "Two minutes is enough; longer scripts were cut short.",
                                ],
                                ["Busy evenings: the huddle was skipped twice."],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "The chart accepts kilograms only",
                [
                    (
                        "EHR weight field in kilograms",
                        [
                            Idea(
                                "Remove the pounds option from the EHR weight field",
                                "the informatics nurse",
                                "visits with the weight documented in kilograms",
                                [
                                    "IT needed a formal request; the pediatric emergency care "
                                    "coordinator's signature sped it up.",
                                    "A hard stop annoyed staff; a soft warning with the "
                                    "kilogram value worked better.",
                                    "Pharmacy checks caught the last pounds entries.",
                                ],
                                ["The change waited two weeks in the IT queue."],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    "vitals": Theme(
        aim="By {by_when}, a physician or APP is notified within 15 minutes for 90% of "
        "children with an abnormal vital sign at triage, and vital signs are repeated "
        "before discharge.",
        what="notification of abnormal pediatric vital signs within 15 minutes",
        how_much="from 48% to 90%",
        months_before_end=3,
        for_whom="children under 18 with an age-abnormal triage vital sign",
        drivers=[
            (
                "Abnormal values are recognised at once",
                [
                    (
                        "Age-based ranges at the bedside",
                        [
                            Idea(
                                "Age-based vital sign ranges on a badge card",
                                "triage nurses",
                                "abnormal vital signs recognised at triage",
                                [
                                    "The badge card was used most for infants under one year.",
                                    "Colour bands made the card quicker to read than a table.",
                                    "Respiratory rate was the value most often missed.",
                                ],
                                ["Cards went missing from the triage desk."],
                                gap_item="Abnormal vital sign notification",
                            ),
                            Idea(
                                "EHR flag for age-abnormal vital signs",
                                "the informatics nurse and triage nurses",
                                "abnormal values flagged in the chart",
                                [
                                    "The flag fired too often for crying toddlers' heart "
                                    "rate; repeating the value calm fixed most of it.",
                                    "Nurses trusted the flag once it matched the badge card.",
                                ],
                                ["Alert fatigue in the first week."],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Escalation is fast and clear",
                [
                    (
                        "One escalation path",
                        [
                            Idea(
                                "Notify the physician with a scripted SBAR call",
                                "the triage nurse and the ED physician",
                                "notifications within 15 minutes",
                                [
                                    "A script removed the hesitation to call for 'just a number'.",
                                    "Documenting the time of notification was the step most "
                                    "often forgotten.",
                                    "Physicians preferred a page with the value to a call.",
                                ],
                                ["Night coverage by a single physician slowed answers."],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Vital signs are repeated",
                [
                    (
                        "Reassessment before discharge",
                        [
                            Idea(
                                "Repeat abnormal vital signs before discharge",
                                "the primary nurse",
                                "children with abnormal vital signs reassessed before discharge",
                                [
                                    "Adding the repeat to the discharge checklist made it stick.",
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    "pain": Theme(
        aim="By {by_when}, 90% of children have an age-appropriate pain score at triage and "
        "80% are reassessed within 60 minutes of an analgesic.",
        what="pain assessed at triage and reassessed after treatment",
        how_much="assessment 62% to 90%; reassessment 35% to 80%",
        months_before_end=4,
        for_whom="children under 18 seen in our emergency department",
        drivers=[
            (
                "Pain is measured with the right tool",
                [
                    (
                        "Age-appropriate scales at triage",
                        [
                            Idea(
                                "FLACC and Wong-Baker FACES cards at triage",
                                "triage nurses",
                                "children with an age-appropriate pain score at triage",
                                [
                                    "Nurses used FACES for school-age children without prompting.",
                                    "FLACC for toddlers needed a short demonstration.",
                                    "A laminated card beside the thermometer was used most.",
                                ],
                                gap_item="Pain assessment",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Pain is treated early and reassessed",
                [
                    (
                        "Reassessment after analgesia",
                        [
                            Idea(
                                "Timer reminder to reassess pain 60 minutes after analgesia",
                                "the primary nurse",
                                "reassessments within 60 minutes of an analgesic",
                                [
                                    "A timer on the workstation worked better than a note.",
                                    "Reassessment was missed when the child went to radiology.",
                                    "Parents reminded nurses when we told them about the timer.",
                                ],
                                ["Timers were silenced during a trauma."],
                            ),
                            Idea(
                                "Nurse-initiated ibuprofen protocol at triage",
                                "triage nurses and the pharmacist",
                                "children with moderate pain treated within 30 minutes",
                                [
                                    "The protocol needed a weight in kilograms first: it "
                                    "linked two of our aims.",
                                    "Physicians supported it once contraindications were listed.",
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    "suicide": Theme(
        aim="By {by_when}, 90% of patients aged 12 and over are screened for suicide risk with "
        "a validated tool, and every positive screen gets a safety assessment before discharge.",
        what="suicide risk screening with the ASQ and follow-up of positive screens",
        how_much="from 30% to 90% screened; 100% of positives assessed",
        months_before_end=2,
        for_whom="patients aged 12 to 17 seen in our emergency department",
        drivers=[
            (
                "Every adolescent is screened",
                [
                    (
                        "Screening in the triage workflow",
                        [
                            Idea(
                                "ASQ screening questions in the triage note",
                                "triage nurses",
                                "patients aged 12 and over screened with the ASQ",
                                [
                                    "Asking the questions with the parent out of the room "
                                    "gave more honest answers.",
                                    "Nurses felt ready after a 20-minute role play.",
                                    "The questions took under a minute.",
                                ],
                                ["Some parents refused to step out."],
                                gap_item="Suicide risk screening",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Positive screens are kept safe",
                [
                    (
                        "Safe room and safety plan",
                        [
                            Idea(
                                "Safe-room checklist for positive screens",
                                "the charge nurse",
                                "positive screens placed in a checked safe room",
                                [
                                    "The checklist found cords and sharps we had not noticed.",
                                    "A sitter could be found faster with a call list.",
                                ],
                            ),
                            Idea(
                                "Brief safety plan with families before discharge",
                                "the social worker or physician",
                                "positive screens discharged with a safety plan",
                                [
                                    "Families took the lethal-means counselling seriously when "
                                    "it came with a lockbox offer.",
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    "pecc": Theme(
        aim="By {by_when}, our ED has named nurse and physician pediatric emergency care "
        "coordinators and raises its pediatric readiness score by 10 points.",
        what="pediatric readiness score and named coordinators",
        how_much="+10 points (from 61 to 71)",
        months_before_end=5,
        for_whom="children seen in our emergency department",
        drivers=[
            (
                "Someone owns pediatric readiness",
                [
                    (
                        "Named coordinators with protected time",
                        [
                            Idea(
                                "Name a nurse pediatric emergency care coordinator",
                                "the ED nurse manager",
                                "coordinator tasks done each month",
                                [
                                    "Two hours a week of protected time made the role real.",
                                    "The coordinator's monthly chart review found gaps fast.",
                                ],
                                gap_item="Pediatric emergency care coordinator",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Staff are competent with children",
                [
                    (
                        "Regular pediatric practice",
                        [
                            Idea(
                                "In-situ pediatric simulation on each shift",
                                "the coordinator and the shift team",
                                "staff who took part in a simulation this quarter",
                                [
                                    "Ten-minute scenarios fit between patients; longer ones "
                                    "were cancelled.",
                                    "Simulations found an expired pediatric airway kit.",
                                    "Night shift asked for its own scenarios.",
                                ],
                                ["Two simulations were cancelled for patient volume."],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Equipment is ready for every size",
                [
                    (
                        "Checked pediatric cart",
                        [
                            Idea(
                                "Colour-coded length-based pediatric cart check",
                                "the night charge nurse",
                                "cart checks complete with no missing sizes",
                                [
                                    "A checklist by colour zone halved the check time.",
                                    "Missing items were mostly the smallest sizes.",
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    "reunification": Theme(
        aim="By {by_when}, our hospital can register, track and reunite every "
        "unaccompanied child within 4 hours in a disaster drill.",
        what="children reunited with a verified guardian during drills",
        how_much="100% within 4 hours",
        months_before_end=0,
        for_whom="unaccompanied children arriving in a mass-casualty event",
        drivers=[
            (
                "Children are identified and tracked",
                [
                    (
                        "Tracking from arrival",
                        [
                            Idea(
                                "Photo and wristband tracking form for unaccompanied children",
                                "the registration clerk and triage nurse",
                                "children registered with photo and wristband in the drill",
                                [
                                    "A printed form worked when the registration system was "
                                    "down in the drill.",
                                    "Photos must be taken before the child is moved.",
                                ],
                                gap_item="Pediatric tracking and reunification",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Guardians are verified before release",
                [
                    (
                        "A reunification area",
                        [
                            Idea(
                                "Guardian verification checklist at the reunification area",
                                "the social worker",
                                "releases with the guardian verified",
                                [
                                    "Two forms of verification slowed releases only slightly.",
                                    "A safe waiting space with a staff member was essential.",
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    "surge": Theme(
        aim="By {by_when}, we keep pediatric surge supplies for 20 children, checked every "
        "quarter, and can open a pediatric surge area within 30 minutes.",
        what="pediatric surge supplies and time to open a surge area",
        how_much="supplies for 20 children; surge area in 30 minutes",
        months_before_end=1,
        for_whom="children arriving in a surge or disaster",
        drivers=[
            (
                "Supplies are ready",
                [
                    (
                        "A quarterly supply check",
                        [
                            Idea(
                                "Quarterly pediatric surge cache check with a checklist",
                                "the emergency manager and a pediatric nurse",
                                "cache items present and in date",
                                [
                                    "Expiry dates cluster: rotate stock into daily use.",
                                    "A sealed tag shows at a glance whether the cache was opened.",
                                ],
                                gap_item="Pediatric surge supplies",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Staff can open a surge area",
                [
                    (
                        "Job action sheets",
                        [
                            Idea(
                                "Pediatric surge job action sheets in a tabletop drill",
                                "the incident commander and charge nurses",
                                "minutes to open the surge area",
                                [
                                    "Job action sheets cut the time to open the area by a third.",
                                    "The first drill showed no one owned the pediatric cart.",
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
}

#: Team -> theme, matching the demo teams' goals (demo/world.py).
TEAM_THEMES = {
    "Riverside ED Peds Ready": "weight",
    "Prairie View Kids First": "pecc",
    "Red Mesa Pediatric Readiness": "vitals",
    "Lakeside Pain Champions": "pain",
    "Northgate Peds Team": "suicide",
    "St. Brendan Peds Readiness": "pecc",
    "Bayou Parish Kids Count": "weight",
    "Green Mountain Ready": "pecc",
    "Cascade Vital Signs Team": "vitals",
    "Desert Springs Peds Ready": "weight",
    "Turtle Mountain Kids": "pecc",
    "Coastal Carolina Peds": "suicide",
    "Bay City Disaster Ready Kids": "reunification",
    "Northern Pines Surge Team": "surge",
}

#: The demo gap-analysis item (assessments/data/demo_gap_analysis.json) each theme's
#: ideas close, by the `gap_item` label the themes use.
GAP_QUESTION_KEYS = {
    "Weight in kilograms only": "D1",
    "Abnormal vital sign notification": "D4",
    "Suicide risk screening": "E4",
    "Pediatric emergency care coordinator": "A1",
    "Pediatric tracking and reunification": "E7",
    "Pediatric surge supplies": "E7",
}


#: The demo measure (demo/measures.py) whose chart shows each idea's result.
MEASURE_OF_IDEA = {
    "children weighed on the locked scale": "M1",
    "triage nurses who can say why we weigh in kilograms": "M1",
    "visits with the weight documented in kilograms": "M1",
    "abnormal vital signs recognised at triage": "M2",
    "abnormal values flagged in the chart": "M3",
    "notifications within 15 minutes": "M3",
    "children with abnormal vital signs reassessed before discharge": "M4",
    "children with an age-appropriate pain score at triage": "M5",
    "reassessments within 60 minutes of an analgesic": "M6",
    "children with moderate pain treated within 30 minutes": "M6",
    "patients aged 12 and over screened with the ASQ": "M7",
    "coordinator tasks done each month": "M13",
    "releases with the guardian verified": "GL1",
    "children registered with photo and wristband in the drill": "GL1",
}
