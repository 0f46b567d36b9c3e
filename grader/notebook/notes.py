"""What the student should know about how their notebook was read, as short lines for the terminal."""
from __future__ import annotations

from grader.notebook import cells
from grader.notebook.assemble import Assembled


def notes(assembled: Assembled) -> list[str]:
    """Missing files first, then names defined twice, lost tags, recognised cells, and what was added."""
    out = []
    for name, choice in assembled.choices.items():
        if not choice.parts:
            out.append(f'no cell holds {name} (tagged {cells.FILE_TAG}{name}, or defining '
                       f"{cells.named(cells.signature(name))}): {', '.join(cells.needed_by(name))} cannot pass without it")
    for choice in assembled.choices.values():
        for where, names in choice.redefined.items():
            out.append(f'{cells.named(names)} {"is" if len(names) == 1 else "are"} defined in cells {numbers(where)}: '
                       'graded the last, as running the notebook from the top does')
    for name, choice in assembled.choices.items():
        for cell, names in choice.extending.items():
            out.append(f'cell {cell} adds to {cells.named(names)} after {"it is" if len(names) == 1 else "they are"} '
                       f'defined: graded as part of {name}, as running the notebook from the top does')
    recognised = []
    for name, choice in assembled.choices.items():
        if not choice.untagged:
            continue
        what = f'cell {numbers(choice.untagged)} by what it defines ({cells.named(choice.recognised_by)})'
        if assembled.built:
            out.append(f'the {name} cell has lost its tag {cells.FILE_TAG}{name}: recognised {what}')
        else:
            recognised.append(f'{name} is cell {numbers(choice.untagged)}')
    if recognised:
        out.append('cells recognised by what they define: ' + ', '.join(recognised))
    for name, file in assembled.files.items():
        if file.carried:
            out.append(f'{name} uses names from other cells: carried along '
                       + ', '.join(f'{what} (cell {cell})' for cell, what in file.carried))
    imports = {f: file.imports for f, file in assembled.files.items() if file.imports}
    for line in dict.fromkeys('; '.join(i) for i in imports.values()):
        users = [f for f, i in imports.items() if '; '.join(i) == line]
        out.append(f"{', '.join(users)} {'uses' if len(users) == 1 else 'use'} names of other cells without "
                   f'importing them: added `{line}`')
    return out


def numbers(found: list[int] | tuple[int, ...]) -> str:
    """'8', '8 and 12', '3, 8 and 12'."""
    shown = [str(n) for n in found]
    return shown[0] if len(shown) == 1 else ', '.join(shown[:-1]) + ' and ' + shown[-1]
