"""The school list's phase choices: one per phase, whatever the spelling of the file it came from."""

from schools.filters import phase_choices


def test_each_phase_is_offered_once_under_its_gias_name_and_stands_for_every_spelling():
    choices, spellings = phase_choices(["All through", "All-Through", "Primary", "", "16 Plus", "Special", "Primary"])

    assert [label for label, _ in choices] == ["16 plus", "All-through", "Primary", "Special"]
    assert spellings["All-through"] == ["All through", "All-Through"]
    assert spellings["16 plus"] == ["16 Plus"]
    assert spellings["Special"] == ["Special"]
