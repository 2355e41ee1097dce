"""Labels: one definition (``model``) rendered to ZPL, ESC/POS, PNG and PDF.

Templates in ``resources/labels/`` are filled from an order's data (``context``) into a
``Label``; the renderers are pure functions of the label and a resolution or printer profile.
Text in any script is drawn by the printer where it can (``zpl_text``, ``escpos_text``) and
otherwise from the shipped Noto fonts (``fonts``, ``textrender``); ``layout`` keeps every
element inside the label; ``customs`` says which UPU form applies and what it needs.
"""
