"""Feature tests' community: a recording adapter instead of a rendered console."""

from tests.recording.adapter import OpenedForm, Posted, RecordingAdapter
from tests.recording.community import Recorded, Said

__all__ = ["OpenedForm", "Posted", "Recorded", "RecordingAdapter", "Said"]
