"""Label and receipt printers: ZPL and ESC/POS drivers, their status parsers and emulators.

Pure parts (``zpl_status``, ``escpos_status``, ``url``, ``testprint``) do no I/O; the drivers
(``zpl``, ``escpos_printer``, ``lp``) talk over the transports in ``drivers.transport`` and
``serial_link``; ``factory`` builds a driver from a URL and a language.
"""
