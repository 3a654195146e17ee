"""The ask path: ranking, whether a passage answers, the highlight, conversations and small talk, the answer."""
