"""The core: events, messages, the adapter contract, commands, the interaction log, config."""
