"""The Telegram bot: handlers by role, Vietnamese texts, keyboards (python-telegram-bot 22)."""

import os

# Opt in to PTB's coming API: durations such as RetryAfter.retry_after as timedelta, so the
# code written now does not change meaning (or warn) in the next major version.
os.environ.setdefault("PTB_TIMEDELTA", "1")
