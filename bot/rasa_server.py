"""`rasa run` with its HTTP API token taken from the environment (`RASA_API_TOKEN`), and with
the action server's replies validated by a validator built once.

Rasa reads the token only from its command line, which any local user can read in the process
list; here it is added to the arguments inside the process, where no one else sees it.

Rasa checks every reply of the action server against its JSON schema with
`jsonschema.validate`, which first re-checks the schema itself and builds a new validator: a
fifth of the Rasa process's time per message (BENCHMARKS.md, "Where the time goes"). The same
check with the same error runs here on a validator made once.

    python -m bot.rasa_server --model ... --enable-api    # every other `rasa run` option
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import Any

from jsonschema import Validator
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.__main__ import main
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

TOKEN_ENV = "RASA_API_TOKEN"


@lru_cache(maxsize=1)
def _action_result_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    kind = validator_for(schema)
    kind.check_schema(schema)
    return kind(schema)


def validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result` without rebuilding the validator for each reply."""
    error = best_match(_action_result_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from "
            f"the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


if __name__ == "__main__":
    token = os.environ.get(TOKEN_ENV)
    if not token:
        sys.exit(f"set {TOKEN_ENV}: the Rasa HTTP API is never started without a token")
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    sys.argv = ["rasa", "run", *sys.argv[1:], "--auth-token", token]
    main()
