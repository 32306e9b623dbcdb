"""Privacy: `/privacy export`, `/privacy forget` and `/privacy hide-me` for every member.

`hidden_members(session)` gives the ids of the members the digest and reports must not name.
"""

from bot.core.feature import Feature
from bot.features.privacy.commands import install
from bot.features.privacy.store import HiddenMember, hidden_members

FEATURE = Feature("privacy", install, tables=(HiddenMember,))

__all__ = ["FEATURE", "HiddenMember", "hidden_members"]
