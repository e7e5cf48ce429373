"""Redaction of recordings: accounts, KMS keys and aliases, buckets, roles, sessions and request ids, consistently.

One Redactor serves a whole run, so the same real value becomes the same
placeholder in every member and every file: model and dataset ARNs still
share an account, an imported model's source still sits in another one, a
KMS key named twice is still one key. Placeholders keep the shape the
contract's patterns ask for (12 digits for an account, a UUID or mrk- id for
a key, a valid bucket name, a valid role name), so a recording valid before
redaction is valid after it.

A value is learned where its shape says what it is (a member such as
`Bucket` or `KmsKeyId`, an ARN, an `s3://` URI, `alias/...`), in any member,
free text included; once learned it is replaced wherever it appears as a
whole token (a FailedReason that names the bucket, the role or its session
in prose loses them too). `learn` every body of a run before redacting any,
and a value learned from one file is also hidden in the others.

Whatever the setting (`--no-redact` too), credentials never reach a file
(`scrub_secrets`): anything shaped like an access key id, a secret access key
next to a key id or a name that says so, a named session token, and the
client's own access key, secret key and session token wherever they appear
(an endpoint may echo a request's Authorization or X-Amz-Security-Token).
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

# arn:<partition>:<service>:<region>:<account>:<resource>
_ARN = re.compile(r"arn:(aws[a-z-]*):([a-z0-9-]*):([a-z0-9-]*):([0-9]{12}):([^\s\"',;]*)")
_S3_ARN = re.compile(r"arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_MRK = re.compile(r"mrk-[0-9a-fA-F]{32}")
_S3_URI = re.compile(r"s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])")
_ALIAS = re.compile(r"(?<![A-Za-z0-9_-])alias/([A-Za-z0-9/_-]+)")
_REQUEST_ID_TEXT = re.compile(r"(?i)(request[ _-]?id\W{0,3})([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Z0-9]{16,})")
_KEY_MEMBERS = ("KmsKeyId", "ServerSideKmsKeyId")
_NAME_CHARS = r"A-Za-z0-9_.+=,@-"  # what may continue a bucket, role, session or alias name

# --- credentials ---------------------------------------------------------------------------------------
_ACCESS_KEY = re.compile(r"(?<![A-Z0-9])(AKIA|ASIA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Z0-9])")
_B64_40 = r"[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"
# a secret key right after a key id (as in a credentials file or an access key pair printed together)
_SECRET_AFTER_KEY = re.compile(r"((?:AKIA|ASIA)[A-Z0-9]{16}[\s\"',:;=|/]{1,8})(" + _B64_40 + ")")
# ... or after a name that says what it is: aws_secret_access_key = ..., "SecretAccessKey": "..."
_NAMED_SECRET = re.compile(r"(?i)(secret[_ -]?(?:access[_ -]?)?key[\"']?\s*[:=]\s*[\"']?)(" + _B64_40 + ")")
_NAMED_TOKEN = re.compile(r"(?i)((?:x-amz-security-token|security[_ -]?token|session[_ -]?token)[\"']?\s*[:=]\s*[\"']?)"
                          r"([A-Za-z0-9/+=%]{16,})")
KEY_ID_PLACEHOLDER = "X" * 16  # after the key id's four-letter prefix
SECRET_PLACEHOLDER = "redacted-secret"
MIN_OWN_SECRET = 16  # the client's own values shorter than this (dummy test credentials) are not secrets


def scrub_access_keys(text: str) -> str:
    return _ACCESS_KEY.sub(lambda m: m.group(1) + KEY_ID_PLACEHOLDER, text)


def scrub_secrets(text: str, own: tuple[str, ...] = ()) -> str:
    """Every credential out of `text`: key ids (their kind kept), the client's own values (`own`),
    then what looks like a secret key or a session token."""
    text = scrub_access_keys(text)
    for value in own:
        if len(value) >= MIN_OWN_SECRET and value in text:
            text = text.replace(value, SECRET_PLACEHOLDER)
    text = _SECRET_AFTER_KEY.sub(lambda m: m.group(1) + SECRET_PLACEHOLDER, text)
    text = _NAMED_SECRET.sub(lambda m: m.group(1) + SECRET_PLACEHOLDER, text)
    return _NAMED_TOKEN.sub(lambda m: m.group(1) + SECRET_PLACEHOLDER, text)


def _items(node, key=None):
    """(member name, string value) for every string, the name being the nearest object key."""
    if isinstance(node, str):
        yield key, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _items(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _items(v, key)


class Redactor:
    """Consistent placeholders for one run; `redact(body)` returns a redacted copy."""

    def __init__(self, secrets: tuple[str, ...] = ()):
        self.accounts: dict[str, str] = {}
        self.keys: dict[str, str] = {}  # KMS key ids and alias names
        self.buckets: dict[str, str] = {}
        self.roles: dict[str, str] = {}  # IAM role names (the last part of a role's path)
        self.sessions: dict[str, str] = {}  # STS role session names
        self.request_ids: dict[str, str] = {}
        self.secrets = tuple(secrets)
        self._names: re.Pattern | None = None  # every learned name, as one pattern

    # placeholders, numbered in order of first appearance
    def _account(self, real: str) -> str:
        if real not in self.accounts:
            n = len(self.accounts) + 1
            taken = set(self.accounts) | set(self.accounts.values())
            candidate = str(100000000000 + n)
            while candidate in taken:
                n += 1
                candidate = str(100000000000 + n)
            self.accounts[real] = candidate
        return self.accounts[real]

    def _learn_name(self, table: dict, real: str, placeholder) -> None:
        if real and real not in table:
            table[real] = placeholder(len(table) + 1)
            self._names = None

    def _key(self, real: str) -> None:
        if _MRK.fullmatch(real):
            self._learn_name(self.keys, real, lambda n: f"mrk-{n:032x}")
        elif _UUID.fullmatch(real):
            self._learn_name(self.keys, real, lambda n: f"00000000-0000-4000-8000-{n:012x}")
        else:  # an alias name
            self._learn_name(self.keys, real, lambda n: f"redacted-key-{n}")

    def _bucket(self, real: str) -> None:
        self._learn_name(self.buckets, real, lambda n: f"redacted-bucket-{n}")

    def _role(self, path: str) -> None:
        self._learn_name(self.roles, path.rsplit("/", 1)[-1], lambda n: f"redacted-role-{n}")

    def _session(self, real: str) -> None:
        self._learn_name(self.sessions, real, lambda n: f"redacted-session-{n}")

    def _request_id(self, real: str) -> str:
        if real not in self.request_ids:
            # a different variant digit from key placeholders: a request id never poses as a key
            self.request_ids[real] = f"00000000-0000-4000-a000-{len(self.request_ids) + 1:012x}"
        return self.request_ids[real]

    def learn(self, body, request_ids=()) -> None:
        """Find every real value to hide, so placeholders are assigned in a stable order."""
        for rid in request_ids:
            if rid:
                self._request_id(rid)
        for member, text in _items(body):
            self._learn_text(member, text)

    def _learn_text(self, member, text: str) -> None:
        for m in _ARN.finditer(text):
            self._account(m.group(4))
            service, resource = m.group(2), m.group(5)
            kind, _, ident = resource.partition("/")
            if service == "kms" and kind in ("key", "alias") and ident:
                self._key(ident)
            elif service == "iam" and kind == "role" and ident:
                self._role(ident)
            elif service == "sts" and kind == "assumed-role" and ident:
                role, _, session = ident.partition("/")
                self._role(role)
                self._session(session)
        if member in _KEY_MEMBERS and not text.startswith("arn:"):
            self._key(text[len("alias/"):] if text.startswith("alias/") else text)
        if member == "Bucket" and text:
            self._bucket(text)
        for pattern in (_S3_URI, _S3_ARN):
            for m in pattern.finditer(text):
                self._bucket(m.group(1))
        for m in _ALIAS.finditer(text):
            self._key(m.group(1))
        for m in _REQUEST_ID_TEXT.finditer(text):
            self._request_id(m.group(2))

    def _name_pattern(self) -> re.Pattern | None:
        """One pattern for every learned name, longest first, matched only as a whole token."""
        if self._names is None:
            names = {**self.keys, **self.buckets, **self.roles, **self.sessions}
            if not names:
                return None
            self._replacements = names
            alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            self._names = re.compile(rf"(?<![{_NAME_CHARS}])(?:{alternatives})(?![{_NAME_CHARS}])")
        return self._names

    def redact_text(self, text: str, member: str | None = None) -> str:
        if member == "Bucket" and text in self.buckets:
            return self.buckets[text]
        for real, fake in self.request_ids.items():
            text = text.replace(real, fake)
        for real, fake in self.accounts.items():
            text = re.sub(rf"(?<![0-9]){real}(?![0-9])", fake, text)
        names = self._name_pattern()
        if names is not None:
            text = names.sub(lambda m: self._replacements[m.group(0)], text)
        return scrub_secrets(text, self.secrets)

    def redact(self, body, request_ids=()):
        self.learn(body, request_ids)
        return self._walk(body, None)

    def _walk(self, node, key):
        if isinstance(node, str):
            return self.redact_text(node, key)
        if isinstance(node, dict):
            return {k: self._walk(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [self._walk(v, key) for v in node]
        return node


def scrub(node, secrets: tuple[str, ...] = ()):
    """Only the always-on part, credentials, for --no-redact runs."""
    if isinstance(node, str):
        return scrub_secrets(node, secrets)
    if isinstance(node, dict):
        return {k: scrub(v, secrets) for k, v in node.items()}
    if isinstance(node, list):
        return [scrub(v, secrets) for v in node]
    return node


def safe_endpoint(url: str | None) -> str | None:
    """An endpoint URL fit for a file: no user:password, no query (presigned tokens), no fragment."""
    if not url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
