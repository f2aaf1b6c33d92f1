"""`rasa run` with its HTTP API token taken from the environment (`RASA_API_TOKEN`).

Rasa reads the token only from its command line, which any local user can read in the process
list; here it is added to the arguments inside the process, where no one else sees it.

    python -m bot.rasa_server --model ... --enable-api    # every other `rasa run` option
"""

from __future__ import annotations

import os
import sys

from rasa.__main__ import main

TOKEN_ENV = "RASA_API_TOKEN"

if __name__ == "__main__":
    token = os.environ.get(TOKEN_ENV)
    if not token:
        sys.exit(f"set {TOKEN_ENV}: the Rasa HTTP API is never started without a token")
    sys.argv = ["rasa", "run", *sys.argv[1:], "--auth-token", token]
    main()
