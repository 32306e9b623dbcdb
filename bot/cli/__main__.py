"""`python -m bot.cli`: the same as the `steward` script."""

from bot.cli.main import main

main()
