"""The student notebook: built from the exercise files, and turned back into a submission folder."""
from grader.notebook.build import NOTEBOOK, BuildError, build_notebook, notebook_text
from grader.notebook.extract import NotebookError, Submission, submission_from_notebook

__all__ = ['NOTEBOOK', 'BuildError', 'NotebookError', 'Submission', 'build_notebook', 'notebook_text',
           'submission_from_notebook']
