"""grader.feedback.clean: what a submission wrote can never act on a terminal, a spreadsheet or a file."""
from __future__ import annotations

from grader.feedback import clean
from grader.results import CheckResult, ExerciseResult, Feedback, Report

FAKE_TOTAL = '\x1b[2J\x1b[H\x1b[32m ✓ all passed\x1b[0m\rTotal: 85/85\x07'


def test_escape_sequences_go_whole_and_control_characters_are_marked():
    assert clean.text(FAKE_TOTAL) == ' ✓ all passed\nTotal: 85/85\ufffd'
    assert clean.text('\x1b]0;pwned\x07title \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\') == 'title link'
    assert clean.text('\x9b31mred\x00\x7f') == 'red\ufffd\ufffd'  # the 8-bit CSI too
    assert clean.text('a\r\nb\rc\td') == 'a\nb\nc\td'  # a lone CR cannot overwrite a line
    assert clean.text('\u202eevil\u200b') == '\ufffdevil\ufffd'  # text that reorders itself on screen
    assert clean.text('déjà vu ✓ ∂L/∂a') == 'déjà vu ✓ ∂L/∂a'


def test_lone_surrogates_are_escaped_and_can_be_printed():
    cleaned = clean.text('bad \udc80 byte')
    assert cleaned == 'bad \\udc80 byte'
    cleaned.encode('utf-8')  # would raise UnicodeEncodeError with the surrogate left in


def test_one_line_text_and_names():
    assert clean.line('first\nsecond\tthird') == 'first second third'
    assert clean.name('\tbob\r') == '\\tbob\\r'
    assert clean.name('=cmd|\x1b[31m\udcff') == '=cmd|\\x1b[31m\\udcff'
    assert clean.name('ordinary name-2') == 'ordinary name-2'


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    for formula in ('=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\r=1'):
        assert clean.csv_cell(formula).startswith("'"), formula
    assert clean.csv_cell('line one\nline two') == 'line one line two'
    assert clean.csv_cell('plain') == 'plain'


def test_no_two_names_are_shown_alike():
    """A name spelled as another is escaped would otherwise read the same, in grades.csv and on screen."""
    assert clean.name('\tbob') == '\\tbob' and clean.name('\\tbob') == '\\\\tbob'
    assert clean.csv_cell('=sum') == "'=sum" and clean.csv_cell("'=sum") == "''=sum"
    names = ['\tbob', '\\tbob', '=sum', "'=sum", "'", "''", 'a\\b', 'a\x1bb', 'a\\x1bb']
    cells = [clean.csv_cell(clean.name(n)) for n in names]
    assert len(set(cells)) == len(names), cells


def test_deep_cleans_every_string_of_a_report_and_leaves_the_rest():
    fb = Feedback('your code raised \x1b[31mFake\x1b[0m: x', output='\udc80', diffs=[])
    report = Report('sub\x07', [ExerciseResult('a', 'A', 1.5, 5, 'failed', [CheckResult('c', False, fb, 2.0)])])
    cleaned = clean.deep(report)
    check = cleaned.exercises[0].checks[0]
    assert check.feedback.summary == 'your code raised Fake: x' and check.feedback.output == '\\udc80'
    assert cleaned.submission == 'sub\ufffd' and check.weight == 2.0 and cleaned.exercises[0].points == 1.5
    assert report.exercises[0].checks[0].feedback.output == '\udc80', 'the original is left as it was'


def test_unicode_line_breaks_and_invisible_letters_cannot_forge_or_hide_a_line():
    assert clean.text('7\u2028Total: 85/85') == '7\nTotal: 85/85'  # a real line break, so it can be seen as one
    assert clean.line('7\u2029Total: 85/85') == '7 Total: 85/85'
    assert clean.name('a\u2028b') == 'a\\u2028b'
    for hidden in ('\u061c', '\u3164', '\u180e', '\u2066', '\u00ad'):
        assert hidden not in clean.text(f'x{hidden}y') and hidden not in clean.name(f'x{hidden}y'), repr(hidden)
