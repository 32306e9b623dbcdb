"""Local fakes of the platforms' servers, for end-to-end tests of the adapters."""

from tests.fakes.discord_server import FakeDiscord, InteractionRecord, Recorded, wait_for

__all__ = ["FakeDiscord", "InteractionRecord", "Recorded", "wait_for"]
