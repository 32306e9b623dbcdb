"""Forms in the console: one prompted line per field, then a FormSubmitted event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.core.events import FormSubmitted, InboundEvent
from bot.core.messages import Form

if TYPE_CHECKING:
    from adapters.console.responder import ConsoleResponder
    from bot.core.adapter import Core


@dataclass
class FormInProgress:
    """A form being answered: the event that opened it and the answers so far."""

    event: InboundEvent
    form: Form
    answers: dict[str, str] = field(default_factory=dict)


class FormPrompting:
    """Asks a form's fields one line at a time (a part of the console adapter)."""

    _form: FormInProgress | None
    # provided by the adapter
    write: Callable[[str], None]
    _base: Callable[..., dict]
    _require_app: Callable[[], Core]
    responder: Callable[[InboundEvent], ConsoleResponder]

    async def prompt_form(self, event: InboundEvent, form: Form) -> None:
        """Ask `form`'s fields one line at a time, for the member behind `event`."""
        self._form = FormInProgress(event, form)
        self.write(
            f"    ── {form.title} (for {event.member.name}; answer each line, :cancel to stop)"
        )
        self._prompt_field()

    async def _do_cancel(self, _: str) -> None:
        if self._form is not None:
            self.write(f"    ── {self._form.form.title}: cancelled, nothing sent")
            self._form = None

    def _prompt_field(self) -> None:
        assert self._form is not None
        index = len(self._form.answers)
        form_field = self._form.form.fields[index]
        optional = "" if form_field.required else " (optional)"
        shown = " ".join(form_field.default.split())
        prefilled = f" [{shown}] (an empty line keeps it)" if shown else ""
        self.write(f"    {index + 1}. {form_field.label}{optional}{prefilled}")

    async def _answer_form(self, line: str) -> None:
        """Take one line as the answer to the current field; submit after the last one."""
        progress = self._form
        assert progress is not None
        form_field = progress.form.fields[len(progress.answers)]
        if not line.strip() and form_field.default:
            line = form_field.default  # a pre-filled field left as it was
        if form_field.required and not line.strip():
            self.write("    (an answer is needed; :cancel to stop)")
            return
        problem = form_field.check(line)
        if problem is not None:  # asked again at once, not after the whole form
            self.write(f"    That answer {problem}; answer again, or :cancel to stop.")
            self._prompt_field()
            return
        progress.answers[form_field.field_id] = line.strip()
        if len(progress.answers) < len(progress.form.fields):
            self._prompt_field()
            return
        self._form = None
        event = progress.event
        submitted = FormSubmitted(
            **self._base(event.channel.channel_id, event.member.name),
            form_id=progress.form.form_id,
            values=dict(progress.answers),
        )
        await self._require_app().handle(submitted, self.responder(submitted))
