"""Making strings from a submission safe to show: no escape sequences, no control characters, no lone surrogates.

Every string a submission can influence (exception names and messages, printed output, file and
folder names) passes through here before it reaches a terminal, a CSV or a file.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import TypeVar

# ESC sequences (CSI, OSC, DCS and friends, two-byte escapes) and their 8-bit C1 forms.
_SEQUENCE = re.compile(
    r'(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?'                # CSI: colours, cursor moves, screen clears
    r'|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?'  # OSC, DCS, SOS, PM, APC
    r'|\x1b[ -/]*[0-~]?')                              # two-byte escapes such as ESC c (reset)
# Characters that reorder or hide text on screen (Trojan Source) are removed like control characters:
# every format character (category Cf: bidi controls, zero-width and joiners), and the blank letters.
_INVISIBLE = set('\u3164\u115f\u1160\uffa0')  # Hangul fillers, which show as nothing
_LINE_BREAKS = {'\u2028': '\n', '\u2029': '\n'}  # Unicode's own line and paragraph separators
REPLACEMENT = '\ufffd'
FORMULA_START = ('=', '+', '-', '@', '\t', '\r')

T = TypeVar('T')


def _surrogates_escaped(text: str) -> str:
    """Lone surrogates (from undecodable bytes) as \\udcxx, so the text can be encoded."""
    return ''.join(f'\\u{ord(c):04x}' if '\ud800' <= c <= '\udfff' else c for c in text)


def _unsafe(c: str) -> bool:
    """A C0 or C1 control character, DEL, or a character that reorders or hides text."""
    code = ord(c)
    return code < 32 or 0x7f <= code <= 0x9f or c in _INVISIBLE or (code > 0x7f and unicodedata.category(c) == 'Cf')


def text(value: object) -> str:
    """Multi-line text as the student wrote or printed it: lines and tabs kept, everything else that acts on a terminal removed.

    A CR on its own becomes a line break, so a progress line cannot overwrite another.
    """
    s = _SEQUENCE.sub('', _surrogates_escaped(str(value))).replace('\r\n', '\n').replace('\r', '\n')
    s = s.translate(str.maketrans(_LINE_BREAKS))
    return ''.join(REPLACEMENT if c not in '\n\t' and _unsafe(c) else c for c in s)


def line(value: object) -> str:
    """One line of text: as text(), with line breaks and tabs shown as spaces."""
    return ' '.join(text(value).replace('\t', ' ').split('\n'))


def name(value: object) -> str:
    """A file or folder name: each unsafe character as its Python escape (\\t, \\x1b, \\udc80), and \\ as two."""
    # Escaping the backslash too keeps names apart: a TAB and a literal backslash-t never read alike.
    out = []
    for c in str(value):
        if c == '\\':
            out.append('\\\\')
        elif '\ud800' <= c <= '\udfff':
            out.append(f'\\u{ord(c):04x}')
        elif _unsafe(c) or c in _LINE_BREAKS:
            escaped = repr(c)[1:-1]
            out.append(escaped if escaped != c else f'\\u{ord(c):04x}')
        else:
            out.append(c)
    return ''.join(out)


def csv_cell(value: object) -> str:
    """A grades.csv cell: cleaned, with a leading ' where a spreadsheet would run a formula or a ' starts it."""
    # A ' of its own gets another, so dropping one leading ' always gives the value back.
    cell = text(value).replace('\n', ' ')
    return "'" + cell if cell.startswith((*FORMULA_START, "'")) or cell.lstrip().startswith(FORMULA_START) else cell


def deep(value: T) -> T:
    """The same data (dataclasses, dicts, lists) with every string in it passed through text()."""
    if isinstance(value, str):
        return text(value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: deep(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    if isinstance(value, dict):
        return {deep(k): deep(v) for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, (list, tuple)):
        return type(value)(deep(v) for v in value)  # type: ignore[return-value]
    return value
