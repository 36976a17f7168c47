"""Pages say exactly who a service e-mailed (core.emails.emailed_sentence)."""

from core.emails import Recipient, emailed_sentence


def test_nobody_gives_no_sentence_the_caller_says_what_it_means():
    assert emailed_sentence([]) == ""


def test_one_role_is_named_once():
    assert emailed_sentence([Recipient("Ana Lee", "lead")]) == "Its lead, Ana Lee, was e-mailed."
    two = [Recipient("Ana Lee", "coach"), Recipient("Bo Chen", "coach")]
    assert emailed_sentence(two, whose="Your") == (
        "Your coaches, Ana Lee and Bo Chen, were e-mailed."
    )


def test_mixed_roles_are_named_beside_each_person():
    people = [Recipient("Ana Lee", "lead"), Recipient("Bo Chen", "applicant")]
    assert emailed_sentence(people) == "Ana Lee (lead) and Bo Chen (applicant) were e-mailed."


def test_long_lists_are_shortened():
    people = [Recipient(f"Person {n}", "member") for n in range(6)]
    assert emailed_sentence(people) == (
        "Its members, Person 0, Person 1, Person 2 and 3 others, were e-mailed."
    )
    four = [Recipient(f"Person {n}") for n in range(4)]
    assert emailed_sentence(four) == "Person 0, Person 1, Person 2 and Person 3 were e-mailed."
