"""An SLA counted in business hours: the deadline moves over a weekend, and stays on local
time across a daylight-saving change."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.features.inquiries.support import console_with, inquiries
from tests.features.inquiries.test_alerts import ASK

HOURS = "mon-fri 09:00-17:00"
FIRST = "⏰ Unanswered past its SLA (60 business minutes): inquiry #1"


def heads(out: str) -> list[str]:
    return [line.split(": ", 1)[1] for line in out.splitlines() if "Steward [inquiry]: ⏰" in line]


async def test_a_question_on_friday_at_1630_is_due_on_monday_at_0930(db_url: str) -> None:
    friday = datetime(2026, 3, 6, 16, 30, tzinfo=UTC)
    async with console_with(db_url, friday, business_hours=HOURS) as community:
        await community.run(ASK)
        [inquiry] = inquiries(community.app)
        assert inquiry.sla_due_at == datetime(2026, 3, 9, 9, 30, tzinfo=UTC)
        assert heads(await community.run(":advance 2d16h59m")) == []  # Monday 09:29
        assert heads(await community.run(":advance 1m")) == [FIRST]


async def test_the_deadline_stays_on_local_time_across_the_spring_change(db_url: str) -> None:
    # Friday 2026-03-27 16:30 in Berlin (CET, UTC+1); clocks go forward on Sunday the 29th,
    # so Monday 09:30 in Berlin is 07:30 UTC (CEST, UTC+2), not 08:30
    friday = datetime(2026, 3, 27, 15, 30, tzinfo=UTC)
    async with console_with(db_url, friday, "Europe/Berlin", business_hours=HOURS) as community:
        await community.run(ASK)
        [inquiry] = inquiries(community.app)
        assert inquiry.sla_due_at == datetime(2026, 3, 30, 7, 30, tzinfo=UTC)
        assert inquiry.reminder_at == datetime(2026, 3, 30, 8, 30, tzinfo=UTC)
        assert heads(await community.run(":advance 2d15h59m")) == []  # 07:29 UTC
        out = await community.run(":advance 1m")
        assert heads(out) == [FIRST]
        assert "— now Mon 2026-03-30 09:30 CEST" in out


async def test_without_business_hours_every_minute_counts(db_url: str) -> None:
    friday = datetime(2026, 3, 6, 16, 30, tzinfo=UTC)
    async with console_with(db_url, friday) as community:
        await community.run(ASK)
        [inquiry] = inquiries(community.app)
        assert inquiry.sla_due_at == datetime(2026, 3, 6, 17, 30, tzinfo=UTC)
