"""The grading checklist, answered with the keyboard or the scanner alone.

The question asked is the one the grading rules need next (``station.returns.grading.assess``,
pure): a unit that does not work is graded after one answer. Keys on the scan field while a
question is open and the field is empty: 1 yes, 2 no, 3 does not apply, Backspace takes the
last answer back. Command barcodes do the same (CMD-YES, CMD-NO, CMD-NA, CMD-BACK), so an
inspector with a unit in one hand and the scanner in the other never needs the keyboard.
Answers stay here until the grade is decided; then the screen hands them to the engine.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from station.config.returns import ReturnSettings
from station.config.returns_model import Answer
from station.returns.grading import Assessment, assess
from ui.returns.words import answer_word
from ui.theme import named, restyle

ANSWER_CODES: Mapping[str, Answer] = {"CMD-YES": True, "CMD-NO": False, "CMD-NA": None}
BACK_CODE = "CMD-BACK"
ANSWER_KEYS: Mapping[int, Answer] = {
    Qt.Key.Key_1.value: True,
    Qt.Key.Key_2.value: False,
    Qt.Key.Key_3.value: None,
}


class Checklist(QFrame):
    """The checklist of one unit: questions, answers so far, the one asked now."""

    def __init__(self, settings: ReturnSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklist")
        self._settings = settings
        self._answers: dict[str, Answer] = {}
        self._order: list[str] = []  # keys in the order answered, for Backspace
        self._active = False
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setVerticalSpacing(2)
        self._questions: dict[str, QLabel] = {}
        self._replies: dict[str, QLabel] = {}
        for row, question in enumerate(settings.checklist):
            label = named(QLabel(f"{row + 1}. {question.question}"), "checkQuestion")
            label.setWordWrap(True)
            reply = named(QLabel(), "checkAnswer")
            reply.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(label, row, 0)
            grid.addWidget(reply, row, 1)
            self._questions[question.key] = label
            self._replies[question.key] = reply
        grid.setColumnStretch(0, 1)
        self.keys = named(QLabel(), "checkKeys")
        self.keys.setWordWrap(True)
        grid.addWidget(self.keys, len(settings.checklist), 0, 1, 2)
        self.clear()

    @property
    def active(self) -> bool:
        """True while a question waits for its answer."""
        return self._active

    @property
    def answers(self) -> dict[str, Answer]:
        """The answers given so far."""
        return dict(self._answers)

    def current(self) -> str | None:
        """The key of the question asked now, or None."""
        step = self._step()
        return step.next_question.key if self._active and step.next_question else None

    def clear(self) -> None:
        """No unit to grade."""
        self._answers, self._order, self._active = {}, [], False
        self._render()

    def start(self) -> None:
        """Grade a unit from the first question."""
        self._answers, self._order, self._active = {}, [], True
        self._render()

    def answer(self, value: Answer) -> bool:
        """Answer the question asked now; True when that decided the grade."""
        key = self.current()
        if key is None:
            return False
        self._answers[key] = value
        self._order.append(key)
        decided = self._step().decided
        self._active = not decided
        self._render()
        return decided

    def back(self) -> None:
        """Take the last answer back (and ask that question again)."""
        if self._order:
            self._answers.pop(self._order.pop(), None)
            self._active = True
            self._render()

    def _step(self) -> Assessment:
        return assess(self._answers, self._settings)

    def _render(self) -> None:
        asked = self.current()
        for key, label in self._questions.items():
            given = key in self._answers
            state = "current" if key == asked else ("answered" if given else "open")
            restyle(label, "state", state)
            self._replies[key].setText(answer_word(self._answers[key]) if given else "")
        if self._active:
            self.keys.setText(
                self.tr("1 yes · 2 no · 3 does not apply · Backspace back  (or CMD-YES / NO / NA)")
            )
        elif self._answers:
            self.keys.setText(self.tr("Graded. Backspace changes the last answer."))
        else:
            self.keys.setText(self.tr("Scan a unit to grade it."))
