"""Attachments: the forms (附件) units and applicants fill in, and their renderers.

``forms`` is the attachment-form model (text with named blanks, checks, filling);
``docx_render`` writes a form as .docx; ``rows`` turns sheet rows into checked values and
.docx / .zip / merged .docx files (the ``attachment`` command and the batch form).
"""
