"""Redaction of recordings: account ids, KMS key ids, bucket names and request ids, consistently.

One Redactor serves a whole run, so the same real value becomes the same
placeholder in every member and every file: model and dataset ARNs still
share an account, an imported model's source still sits in another one, a
KMS key named twice is still one key. Placeholders keep the shape the
contract's patterns ask for (12 digits for an account, a UUID or mrk- id for
a key, a valid bucket name), so a recording valid before redaction is valid
after it.

Whatever the setting, text shaped like an AWS access key id is always
scrubbed: no credential reaches a file.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

# arn:<partition>:<service>:<region>:<account>:<resource>
_ARN = re.compile(r"arn:(aws[a-z-]*):([a-z0-9-]*):([a-z0-9-]*):([0-9]{12}):([^\s\"',;]*)")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_MRK = re.compile(r"mrk-[0-9a-fA-F]{32}")
_S3_URI = re.compile(r"s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])")
_REQUEST_ID_TEXT = re.compile(r"(?i)(request[ _-]?id\W{0,3})([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Z0-9]{16,})")
_ACCESS_KEY = re.compile(r"(?<![A-Z0-9])(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16}(?![A-Z0-9])")
_KEY_MEMBERS = ("KmsKeyId", "ServerSideKmsKeyId")


def scrub_access_keys(text: str) -> str:
    return _ACCESS_KEY.sub(lambda m: m.group(1) + "X" * 16, text)


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

    def __init__(self):
        self.accounts: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.buckets: dict[str, str] = {}
        self.request_ids: dict[str, str] = {}

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

    def _key(self, real: str) -> str:
        if real not in self.keys:
            n = len(self.keys) + 1
            if _MRK.fullmatch(real):
                self.keys[real] = f"mrk-{n:032x}"
            elif _UUID.fullmatch(real):
                self.keys[real] = f"00000000-0000-4000-8000-{n:012x}"
            else:  # an alias name
                self.keys[real] = f"redacted-key-{n}"
        return self.keys[real]

    def _bucket(self, real: str) -> str:
        if real not in self.buckets:
            self.buckets[real] = f"redacted-bucket-{len(self.buckets) + 1}"
        return self.buckets[real]

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
            for m in _ARN.finditer(text):
                self._account(m.group(4))
                if m.group(2) == "kms":
                    kind, _, ident = m.group(5).partition("/")
                    if kind in ("key", "alias") and ident:
                        self._key(ident)
            if member in _KEY_MEMBERS and not text.startswith("arn:"):
                self._key(text[len("alias/"):] if text.startswith("alias/") else text)
            if member == "Bucket" and text:
                self._bucket(text)
            for m in _S3_URI.finditer(text):
                self._bucket(m.group(1))
            for m in _REQUEST_ID_TEXT.finditer(text):
                self._request_id(m.group(2))

    def redact_text(self, text: str, member: str | None = None) -> str:
        if member == "Bucket" and text in self.buckets:
            return self.buckets[text]
        for real, fake in self.request_ids.items():
            text = text.replace(real, fake)
        for real, fake in self.accounts.items():
            text = re.sub(rf"(?<![0-9]){real}(?![0-9])", fake, text)
        for real, fake in self.keys.items():
            text = re.sub(rf"(?<![0-9A-Za-z-]){re.escape(real)}(?![0-9A-Za-z-])", fake, text)
        text = _S3_URI.sub(lambda m: "s3://" + self.buckets.get(m.group(1), m.group(1)), text)
        return scrub_access_keys(text)

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


def scrub(node):
    """Only the always-on part: access-key-shaped text, for --no-redact runs."""
    if isinstance(node, str):
        return scrub_access_keys(node)
    if isinstance(node, dict):
        return {k: scrub(v) for k, v in node.items()}
    if isinstance(node, list):
        return [scrub(v) for v in node]
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
