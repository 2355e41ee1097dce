"""Labels: one definition (``model``) rendered to ZPL, ESC/POS, PNG and PDF.

Templates in ``resources/labels/`` are filled from an order's data (``context``) into a
``Label``; the renderers are pure functions of the label and a resolution.
"""
