"""Steward on Slack: slack-bolt (async) over HTTP or Socket Mode, Block Kit out
(`adapters.slack.adapter.SlackAdapter`; the manifest needs none of it)."""
