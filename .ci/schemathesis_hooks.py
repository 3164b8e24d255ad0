"""Hooks of the contract run (.ci/schemathesis).

- The string formats the API's document names beyond JSON Schema's own,
  drawn as the server takes them.
- The rules the document states in words because JSON Schema cannot relate
  a value to the clock or to another value of a different place: a drawn
  request that breaks one is mended before it is sent (schemathesis then
  judges the request as sent).
- A guard that points the operations able to revoke or disable the run's own
  credentials at spares instead.
"""

import datetime
import os

import schemathesis
from hypothesis import strategies as st


def _ean13(prefix):
    digits = f"{prefix:012d}"
    odd = sum(int(d) for d in digits[0::2])
    even = sum(int(d) for d in digits[1::2])
    return digits + str((10 - (odd + 3 * even) % 10) % 10)


# A Russian mobile number, written as people and tills write it.
schemathesis.openapi.format(
    "phone",
    st.builds(
        lambda prefix, code, number: f"{prefix}{code}{number:07d}",
        st.sampled_from(["+7", "8", "+7 ", "7"]),
        st.integers(min_value=900, max_value=999),
        st.integers(min_value=0, max_value=9_999_999),
    ),
)
# Birth dates run from 1900-01-01 to today; the other dates of the document
# (a document's issue day) take these as well.
schemathesis.openapi.format(
    "date",
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date.today()).map(
        datetime.date.isoformat
    ),
)
schemathesis.openapi.format("ean13", st.integers(0, 10**12 - 1).map(_ean13))
_printable = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
schemathesis.openapi.format(
    "code128",
    st.text(_printable, min_size=1, max_size=1)
    | st.builds(
        lambda first, middle, last: first + middle + last,
        st.text(_printable, min_size=1, max_size=1),
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=46),
        st.text(_printable, min_size=1, max_size=1),
    ),
)
schemathesis.openapi.format(
    "barcode",
    st.text(
        st.characters(blacklist_categories=["Cc", "Cs", "Zs", "Zl", "Zp"]),
        min_size=1,
        max_size=256,
    ),
)


def _instant(raw, end=False):
    """An RFC 3339 time, or a date meaning its start (or with `end`, its last instant)."""
    raw = str(raw)
    if "T" in raw or "t" in raw:
        return datetime.datetime.fromisoformat(raw.upper().replace("Z", "+00:00"))
    start = datetime.datetime.combine(
        datetime.date.fromisoformat(raw), datetime.time(), tzinfo=datetime.timezone.utc
    )
    return start + datetime.timedelta(days=1, microseconds=-1) if end else start


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _stamp(moment):
    return moment.isoformat().replace("+00:00", "Z")


# The list's ranges: numbers from `<name>_min` up to `<name>_max`, times
# from `<name>_from` up to `<name>_to`.
_NUMBER_RANGES = ("age", "balance", "spent", "purchases")
_TIME_RANGES = ("created", "last_purchase")


def _customers(query):
    """A range runs forwards: `age_min` up to `age_max`, `created_from` up to `created_to`."""
    for name in _NUMBER_RANGES:
        low, high = f"{name}_min", f"{name}_max"
        try:
            if int(query[low]) > int(query[high]):
                query[low], query[high] = query[high], query[low]
        except (KeyError, TypeError, ValueError):
            pass
    for name in _TIME_RANGES:
        low, high = f"{name}_from", f"{name}_to"
        try:
            if _instant(query[low]) > _instant(query[high], end=True):
                query[low], query[high] = query[high], query[low]
        except (KeyError, TypeError, ValueError):
            pass


def _card(body):
    """A card is valid to a time after it is valid from."""
    try:
        if _instant(body["valid_to"]) <= _instant(body["valid_from"]):
            del body["valid_to"]
    except (KeyError, TypeError, ValueError):
        pass


def _tier_assignment(body):
    """A tier set by hand holds until a time still to come."""
    try:
        if _instant(body["until"]) <= _now():
            body["until"] = _stamp(_now() + datetime.timedelta(days=1))
    except (KeyError, TypeError, ValueError):
        pass


def _receipt(body):
    """A sale happens at most 10 minutes ahead of the server's clock."""
    try:
        if _instant(body["created_at"]) > _now() + datetime.timedelta(minutes=5):
            body["created_at"] = _stamp(_now())
    except (KeyError, TypeError, ValueError):
        pass


def _return(body):
    """A return names each line once."""
    lines = body.get("lines")
    if isinstance(lines, list):
        seen = set()
        kept = []
        for line in lines:
            key = line.get("line") if isinstance(line, dict) else None
            if isinstance(key, (int, float)) and not isinstance(key, bool):
                if key in seen:
                    continue
                seen.add(key)
            kept.append(line)
        body["lines"] = kept


def _staff(body):
    """A password does not contain the login."""
    login, password = body.get("login"), body.get("password")
    if isinstance(login, str) and isinstance(password, str):
        if login.strip().lower() and login.strip().lower() in password.lower():
            body["password"] = "x" * max(10, len(password))
            if login.strip().lower() in body["password"]:
                body["password"] = "y" * max(10, len(password))


def _password(body):
    """The acting user's password again: the run's own, so that the operation
    itself is tried rather than only its refusal (and the lock-out after five
    wrong ones)."""
    if isinstance(body.get("password"), str):
        body["password"] = os.environ["CLIENTELE_CONTRACT_PASSWORD"]


def _cheap(field, most, allowed):
    """A count the document allows but that takes the server seconds (a print
    run of 100,000 cards) is made small: the run is about the contract, not
    about load. A count outside the document's bounds stays as drawn."""

    def mend(body):
        count = body.get(field)
        # A whole float (41442.0) is a count to JSON Schema as well.
        whole = isinstance(count, float) and count.is_integer()
        if (isinstance(count, int) and not isinstance(count, bool) or whole) and most < count <= allowed:
            body[field] = most

    return mend


def _offer(body):
    """An offer's last day is not before its first, and its hours do not end
    when they start (the document says so in words)."""
    first, last = body.get("valid_from"), body.get("valid_to")
    if isinstance(first, str) and isinstance(last, str) and last < first:
        body["valid_from"], body["valid_to"] = last, first
    start, end = body.get("hours_from"), body.get("hours_to")
    if isinstance(start, str) and start == end and len(end) == 5:
        body["hours_to"] = "00:00" if end != "00:00" else "00:01"


def _channel_settings(case):
    """A channel's settings work only as a whole (a server that answers, a
    template whose placeholders are known), as the document says in words:
    the drawn body becomes settings that work for the drawn channel, each
    pointing at a closed port on loopback, never a provider's host."""
    channel = str(case.path_parameters.get("channel", ""))
    if channel == "email":
        case.body = {"provider": "smtp", "host": "127.0.0.1", "port": 9, "tls": "none",
                     "from": "shop@example.ru"}
    else:
        case.body = {"provider": "http", "template": {
            "method": "POST", "url": "http://127.0.0.1:9/send", "body": "to={{to}}&text={{text}}",
            "content_type": "form"}}


_QUERY_RULES = {("GET", "/api/v1/customers"): _customers}
_BODY_RULES = {
    ("POST", "/api/v1/cards"): _card,
    ("POST", "/api/v1/tiers/assignments"): _tier_assignment,
    ("POST", "/api/v1/pos/receipts"): _receipt,
    ("POST", "/api/v1/pos/receipts/{receipt_id}/returns"): _return,
    ("POST", "/api/v1/staff"): _staff,
    ("POST", "/api/v1/points/adjustments"): _password,
    ("POST", "/api/v1/customers/{id}/erase"): _password,
    ("POST", "/api/v1/card-groups/{id}/print-runs"): _cheap("count", 50, 100_000),
    ("POST", "/api/v1/certificates"): _cheap("count", 50, 10_000),
    ("POST", "/api/v1/offers/{id}/coupons"): _cheap("count", 50, 100_000),
    ("POST", "/api/v1/offers"): _offer,
}

# Operation → what of the run's own it could revoke or disable.
_GUARDED = {
    ("DELETE", "/api/v1/tokens/{id}"): "TOKEN",
    ("PATCH", "/api/v1/staff/{id}"): "USER",
    ("POST", "/api/v1/tills/{id}/rotate"): "TILL",
    ("POST", "/api/v1/tills/{id}/revoke"): "TILL",
}


def _without_nul(value):
    """The document says in words that no text holds NUL: drawn ones lose it."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


@schemathesis.hook
def before_call(context, case, kwargs):
    operation = (case.operation.method.upper(), case.operation.path)
    # A drawn valid body keeps valid; a body drawn to be invalid is left
    # so (mended, it could pass as valid with a value no format checks).
    negative = case.meta is not None and case.meta.generation.mode.is_negative
    if not negative and isinstance(case.body, (dict, list, str)):
        case.body = _without_nul(case.body)
    if operation in _QUERY_RULES and isinstance(case.query, dict):
        _QUERY_RULES[operation](case.query)
    if operation in _BODY_RULES and isinstance(case.body, dict):
        _BODY_RULES[operation](case.body)
    if operation == ("PUT", "/api/v1/channels/{channel}") and isinstance(case.body, dict):
        _channel_settings(case)
    # A test message goes to an address the channel can take (the document
    # says so in words); a wrong one is refused, as it must be.
    if operation == ("POST", "/api/v1/channels/{channel}/test") and isinstance(case.body, dict):
        email = str(case.path_parameters.get("channel", "")) == "email"
        case.body["address"] = "shop@example.ru" if email else "+79161234567"
    what = _GUARDED.get(operation)
    if what and case.path_parameters:
        if str(case.path_parameters.get("id")) == os.environ[f"CLIENTELE_CONTRACT_OWN_{what}"]:
            case.path_parameters["id"] = int(os.environ[f"CLIENTELE_CONTRACT_SPARE_{what}"])
