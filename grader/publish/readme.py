"""The student bundle's README: set-up, the catalog's exercises, and the project README's student loop as a student has it."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

from grader import catalog

WIDTH = 100  # the project README's line width
# What the project README may mention that a student's bundle lacks: the project's tests and their
# `test` extra, the catalog's fields and the checks' markers (instructor's tools), and the class's
# grades.csv and summary (the instructor's outputs).
NOT_IN_THE_BUNDLE = re.compile(r"\btests/|\btest_\w+\.py|\.\[test\]|grader/catalog\.toml|pytest\.mark|grades\.csv"
                               r"|class summary|project's (?:own )?tests", re.IGNORECASE)

HEAD = """# micrograd exercises

Rebuild [micrograd](https://github.com/karpathy/micrograd), the tiny scalar autograd engine from
*The spelled-out intro to neural networks and backpropagation*, one graded exercise at a time.

## Set up

```bash
python -m venv .venv && . .venv/bin/activate && pip install -e .   # install (Python 3.10 to 3.13)
grade                                                             # grade your work in exercises/
```

Drawing graphs as SVG or PNG also needs Graphviz's `dot` program (`apt-get install graphviz`,
`brew install graphviz`, or <https://graphviz.org/download/>).
"""


def student_readme(readme: Path) -> str:
    """The set-up commands, the catalog's exercises, then the project README's student loop, as a student has it."""
    text = readme.read_text(encoding='utf-8') if readme.is_file() else ''
    section = re.search(r'^## The student loop\n.*?(?=^## |\Z)', text, flags=re.S | re.M)
    loop = '\n' + for_students(section.group(0)).rstrip() + '\n' if section else ''
    return HEAD + '\n' + exercise_list() + loop


def exercise_list() -> str:
    """The exercises in the catalog's order: what each is, its points and the files it is written in."""
    rows = [f"| `{e.id}` | {_markdown_text(e.title)} | {e.points} | {', '.join(f'`{f}`' for f in e.files)} |"
            for e in catalog.load()]
    total = sum(e.points for e in catalog.load())
    return ('## The exercises\n\n'
            f'{len(rows)} exercises, {total} points, in the lecture\'s order. `grade list` shows your progress.\n\n'
            '| exercise | what you build | points | where |\n| --- | --- | --- | --- |\n' + '\n'.join(rows) + '\n')


def for_students(markdown: str) -> str:
    """The text without what names things the bundle lacks: such a parenthesis, else its sentence, else its block."""
    out = []
    for block in _blocks(markdown):
        if block.startswith('#') or not NOT_IN_THE_BUNDLE.search(block):
            out.append(block)
        elif not block.startswith('```'):  # a code block that names one is left out whole
            out.extend(filter(None, [_without_references(block)]))
    return re.sub(r'\n{3,}', '\n\n', '\n'.join(out))  # a paragraph left out leaves one blank line


def _blocks(markdown: str) -> list[str]:
    """Code fences, headings, paragraphs and list items, each whole; a blank line is a block of its own."""
    blocks: list[str] = []
    prose, fence = False, False  # whether the last block takes more lines: a paragraph or list item, or a fence
    for line in markdown.splitlines():
        if fence or (prose and line.strip() and not re.match(r'(#|```|- |\d+\. )', line)):
            blocks[-1] += '\n' + line
            fence = fence and not line.startswith('```')
            continue
        blocks.append(line)
        fence = line.startswith('```')
        prose = bool(line.strip()) and not line.startswith(('#', '```'))
    return blocks


def _without_references(block: str) -> str | None:
    """The block with each parenthesis, then each sentence, that names what the bundle lacks taken out; rewrapped."""
    marker = re.match(r'(- |\d+\. )?', block).group(0)
    text = ' '.join(block[len(marker):].split())
    text = re.sub(r'\s*\([^()]*\)', lambda m: '' if NOT_IN_THE_BUNDLE.search(m.group(0)) else m.group(0), text)
    sentences = re.split(r'(?<=[.!?])\s+(?=[A-Z`"*\[])', text)
    kept = ' '.join(s for s in sentences if not NOT_IN_THE_BUNDLE.search(s))
    if not kept:
        return None
    return textwrap.fill(kept, WIDTH, initial_indent=marker, subsequent_indent=' ' * len(marker),
                         break_long_words=False, break_on_hyphens=False)


def _markdown_text(text: str) -> str:
    return re.sub(r'([\\`*_|<>\[\]])', r'\\\1', text)
