"""Slack-shaped user and file objects, as users.info and files.info return them."""

from __future__ import annotations

import mimetypes
import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

CREATED = int(time.time()) - 86400  # when the fake's workspace "was made"


def user_object(
    team_id: str,
    user_id: str,
    name: str,
    *,
    is_bot: bool = False,
    deleted: bool = False,
    tz: str = "UTC",
    real_name: str | None = None,
    display_name: str | None = None,
) -> dict:
    """A member: `name` is the handle, profile.display_name / real_name default to it."""
    zone = ZoneInfo(tz)
    offset = datetime.now(zone).utcoffset()
    real, shown = real_name or name, display_name or name
    profile = {
        "title": "", "phone": "", "skype": "", "real_name": real,
        "real_name_normalized": real, "display_name": shown,
        "display_name_normalized": shown, "fields": None,
        "status_text": "", "status_emoji": "", "status_emoji_display_info": [],
        "status_expiration": 0, "avatar_hash": uuid.uuid4().hex[:12],
        "first_name": real.split(" ")[0], "last_name": " ".join(real.split(" ")[1:]),
        "image_24": f"https://avatars.example/{user_id}_24.png",
        "image_48": f"https://avatars.example/{user_id}_48.png",
        "image_72": f"https://avatars.example/{user_id}_72.png",
        "image_192": f"https://avatars.example/{user_id}_192.png",
        "team": team_id,
    }  # fmt: skip
    return {
        "id": user_id, "team_id": team_id, "name": name.lower().replace(" ", "."),
        "deleted": deleted, "color": "9f69e7", "real_name": real, "tz": tz,
        "tz_label": datetime.now(zone).tzname() or tz,
        "tz_offset": int(offset.total_seconds()) if offset else 0, "profile": profile,
        "is_admin": False, "is_owner": False, "is_primary_owner": False,
        "is_restricted": False, "is_ultra_restricted": False, "is_bot": is_bot,
        "is_app_user": False, "updated": CREATED, "is_email_confirmed": not is_bot,
        "who_can_share_contact_card": "EVERYONE",
    }  # fmt: skip


def file_object(
    team_id: str,
    file_id: str,
    name: str,
    size: int,
    mimetype: str | None = None,
    *,
    user: str,
    title: str | None = None,
) -> dict:
    """A hosted file, without its URLs (they depend on the fake's port: see file_urls)."""
    mimetype = mimetype or mimetypes.guess_type(name)[0] or "application/octet-stream"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else "binary"
    now = int(time.time())
    return {
        "id": file_id, "created": now, "timestamp": now, "name": name,
        "title": title or name, "mimetype": mimetype, "filetype": ext,
        "pretty_type": ext.upper(), "user": user, "user_team": team_id, "editable": False,
        "size": size, "mode": "hosted", "is_external": False, "external_type": "",
        "is_public": True, "public_url_shared": False, "display_as_bot": False,
        "username": "", "media_display_type": "unknown", "has_rich_preview": False,
        "file_access": "visible",
    }  # fmt: skip


def file_urls(f: dict, *, http_base: str, team_id: str, team_domain: str) -> None:
    """Point the file's url_private(_download) at the fake (which needs the bot token)."""
    key, name = f"{team_id}-{f['id']}", f["name"]
    f["url_private"] = f"{http_base}/files-pri/{key}/{name}"
    f["url_private_download"] = f"{http_base}/files-pri/{key}/download/{name}"
    f["permalink"] = f"https://{team_domain}.slack.com/files/{f['user']}/{f['id']}/{name}"
    f["permalink_public"] = f"https://slack-files.com/{key}-{f['id'].lower()}"
