"""The devices and settings screen (supervisor and admin): ``screen`` holds the screen,
``forms`` and ``fields`` its inputs, ``ports_model`` the choices of ports and sources,
``runner`` the threads its device checks run on."""

from ui.devices_screen.screen import DevicesScreen

__all__ = ["DevicesScreen"]
