"""Blind indexes and blocking tokens: keyed HMAC-SHA256 of normalised values, so that exact lookups and
candidate selection work without the database ever holding the plaintext (see
docs/decisions/0002-encrypted-identities.md for what they still reveal).

The index key is HKDF-SHA256 (info "icmc-blind-index") of a random root secret that is stored wrapped by the
master key (vault.IndexKey), so rotating the master key does not change a single token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from anyascii import anyascii
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.db import IntegrityError, transaction
from django.utils import timezone

from icmc.lib.context import request_memo
from icmc.vault.keys import provider
from icmc.vault.models import IndexKey

INDEX_KEY_NAME = "blind-index"
_CONTEXT = b"icmc-index-root"
EXACT_HEX = 32  # 128 bits: exact lookups never collide by accident
TOKEN_HEX = 16  # 64 bits


class TokenKind(StrEnum):
    WORD = "word"  # one word of a name, normalised ("Rina Devi" and "Devi Rina" share both)
    SOUND = "sound"  # a rough phonetic key of a word, across scripts (Shreya / Sreya / श्रेया, Rahman / Rehman)


def normalise_text(value: str) -> str:
    """NFKC, casefold, whitespace squeezed, trimmed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value).casefold()).strip()


def normalise_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return f"+{digits}" if digits else ""


# Look-alike letters of South Asian names in Latin spelling and in transliteration: z and j are one letter in
# Bengali-Assamese and Devanagari (Khadiza / Khadija / খাদিজা, Hazarika / হাজৰিকা), v and w are one (ব, ৱ, व:
# Sanjeev / Sanjib / সঞ্জীব, Pallavi / পল্লৱী) and sound like b.
_SOUND_MAP = str.maketrans({"c": "k", "q": "k", "z": "j", "v": "b", "x": "ks", "y": "i"})

# Letters of Bengali-Assamese and Devanagari that anyascii renders otherwise than Latin spellings write them,
# replaced before transliterating (names the 6 December 2026 searches of 100,000 cases missed, docs/vault.md).
_NATIVE_SOUNDS = (
    (re.compile("[\u0981\u0901]"), ""),  # chandrabindu: a nasal vowel no Latin spelling writes (বড়ভূঁইয়া)
    # anusvara: m before a labial, else n (Sanjay / संजय, Singh / सिंह, Rinki / ৰিংকী, Dipankar / দীপংকৰ)
    (re.compile("[\u0982\u0902](?=[\u09aa-\u09ae\u092a-\u092e])"), "m"),
    (re.compile("[\u0982\u0902]"), "n"),
    # the flapped ড় ঢ় / ड़ ढ़ (NFKC splits them into letter + nukta) read r (Barbhuiya / বড়ভূঁইয়া), not d
    (re.compile("[\u09a1\u09a2]\u09bc|[\u09dc\u09dd]|[\u0921\u0922]\u093c|[\u095c\u095d]"), "r"),
    (re.compile("\u09f1"), "w"),  # Assamese ৱ is a w (Baruah / বৰুৱা, Pallavi / পল্লৱী), anyascii writes v
)


def latin(word: str) -> str:
    """A word in Latin letters: Devanagari and Bengali-Assamese (and any other script) transliterated by anyascii,
    which drops the inherent vowels ("लक्ष्मी" -> "lksmi"), lower case, letters only."""
    for pattern, replacement in _NATIVE_SOUNDS:
        word = pattern.sub(replacement, word)
    return re.sub(r"[^a-z]", "", anyascii(word).lower())


def sound_key(word: str) -> str:
    """A crude phonetic key: the word in Latin letters (other scripts transliterated, see `latin`), then h after
    a consonant, vowels after the first letter and doubled letters dropped, a few look-alike consonants merged.
    Vowels carry little weight, so "Lakshmi", "Laxmi" and "लक्ष्मी" share a key."""
    w = word if word.isascii() and word.isalpha() else latin(word)
    if not w:
        return ""
    w = w.translate(_SOUND_MAP).replace("ph", "f").replace("sh", "s").replace("kh", "k")
    # A w after u, or after a vowel and before a consonant, is part of the vowel (Baruah / বৰুৱা, Chowdhury /
    # চৌধুরী); between vowels it is the v/b of the other spellings (Pawan / पवन, Anowar / Anwar).
    w = re.sub(r"(?<=u)w|(?<=[aeiou])w(?![aeiou])", "", w)
    w = re.sub(r"w", "b", w)
    w = re.sub(r"ngh?$", "n", w)  # a final ng is often written n (Oraon / Orang, Gurung / गुरुङ, Singh / सिंह)
    w = re.sub(r"([^aeiou])h", r"\1", w)
    skeleton = w[0] + re.sub(r"[aeiouh]", "", w[1:])
    key = re.sub(r"(.)\1+", r"\1", skeleton)[:6]
    if len(key) >= 2:
        return key
    # Short names would give a one-letter key (and no token): keep the repeated consonant (Gogoi / গগৈ: "gg",
    # Nayan / নয়ন: "nn"), else the letter and a mark for "vowels only" (Saha / সাহা: "s_", Roy / Ray / রায়:
    # "r_", Mou / মৌ: "m_").
    return skeleton[:6] if len(skeleton) >= 2 else f"{w[0]}_"


_root_lock = threading.Lock()
_root_cache: dict[tuple[str, str, bytes], bytes] = {}


def index_key() -> bytes:
    """The blind index key (created with its wrapped root on first use). Its row is read once per request."""
    return derived_key(info=b"icmc-blind-index")


def derived_key(*, info: bytes) -> bytes:
    """A 32-byte key derived (HKDF-SHA256, `info`) from the root secret; the blind index key is one, the key
    sealing kept sync payloads (icmc.vault.payloads) another. A master key rotation rewraps the root only, so
    every derived key stays the same."""
    row = request_memo(("blind-index-row",), lambda: IndexKey.objects.filter(name=INDEX_KEY_NAME).first())
    if row is None:
        row = _create_root()
    cache_key = (row.master_key_id, row.wrapped, info)
    with _root_lock:
        if cache_key not in _root_cache:
            root = provider().unwrap(base64.b64decode(row.wrapped), key_id=row.master_key_id, context=_CONTEXT)
            _root_cache[cache_key] = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(root)
        return _root_cache[cache_key]


def _create_root() -> IndexKey:
    key_id, wrapped = provider().wrap(os.urandom(32), context=_CONTEXT)
    try:
        with transaction.atomic():
            return IndexKey.objects.create(name=INDEX_KEY_NAME, wrapped=base64.b64encode(wrapped).decode(),
                                           master_key_id=key_id, created_at=timezone.now())
    except IntegrityError:  # created by someone else meanwhile
        return IndexKey.objects.get(name=INDEX_KEY_NAME)


def _mac(key: bytes, label: str, value: str, size: int) -> str:
    return hmac.new(key, f"{label}\x00{value}".encode(), hashlib.sha256).hexdigest()[:size]


def name_index(key: bytes, value: str) -> str:
    """The exact-lookup index of a whole name."""
    normal = normalise_text(value)
    return _mac(key, "name", normal, EXACT_HEX) if normal else ""


def phone_index(key: bytes, value: str) -> str:
    normal = normalise_phone(value)
    return _mac(key, "phone", normal, EXACT_HEX) if normal else ""


def name_tokens(key: bytes, value: str) -> set[tuple[str, str]]:
    """(kind, token) pairs for blocking: each word, and each Latin word's sound key."""
    return {pair for tokens in word_tokens(key, value) for pair in tokens}


def word_tokens(key: bytes, value: str) -> list[set[tuple[str, str]]]:
    """The blocking tokens of `value` word by word: one set per distinct sound of a word (the word's token and its
    sound key's; words that sound alike, such as "Das Dass", make one set), in the order of the words."""
    return [_group_tokens(key, sound=sound, words=words) for sound, words in _sounds(value)]


def _group_tokens(key: bytes, *, sound: str, words: list[str]) -> set[tuple[str, str]]:
    """The tokens of one sound of a name: its words' tokens and, when it has one, its sound key's."""
    tokens: set[tuple[str, str]] = {(TokenKind.WORD, _mac(key, TokenKind.WORD, word, TOKEN_HEX)) for word in words}
    if sound:
        tokens.add((TokenKind.SOUND, _mac(key, TokenKind.SOUND, sound, TOKEN_HEX)))
    return tokens


def _sounds(value: str) -> list[tuple[str, list[str]]]:
    """The distinct sounds of the words of `value` (two letters or more) in the order of the words: (sound key,
    the words with that key); a word without a sound key is a sound of its own, with the key ""."""
    groups: dict[str, tuple[str, list[str]]] = {}
    for word in normalise_text(value).split(" "):
        if len(word) < 2:
            continue
        sound = sound_key(word)
        sound = sound if len(sound) >= 2 else ""
        groups.setdefault(f"s:{sound}" if sound else f"w:{word}", (sound, []))[1].append(word)
    return list(groups.values())


def final_n_variant(*, sound: str) -> str:
    """The sound key with its final n dropped (a key of 3 letters or more) or added (a key of less than 6 letters,
    the most a key keeps; not to a vowel-only key such as "b_"), else "": Bengali-Assamese surnames often differ by
    a final n (Barbhuiya / Barbhuyan / Barbhuiyan: "brb" / "brbn"). Two-letter keys are too short for it (Rina
    "rn" is no Roy "r_"), so Bhuiya "b_" and Bhuyan "bn" stay apart."""
    if len(sound) < 2 or sound.endswith("_"):
        return ""
    if sound.endswith("n"):
        return sound[:-1] if len(sound) > 2 else ""
    return f"{sound}n" if len(sound) < 6 else ""


@dataclass(frozen=True, kw_only=True)
class SearchWord:
    """The tokens a search looks for, for one sound of the searched name (see word_tokens)."""

    tokens: frozenset[str]  # the words' tokens and their sound key's (the very tokens of word_tokens)
    sound: str  # the sound key's token, "" for a word without one
    variant: str  # the token of the sound key's final-n variant (final_n_variant), "" if none


def search_words(*, key: bytes, value: str) -> list[SearchWord]:
    """The tokens a search for `value` looks for, sound by sound (as word_tokens groups them), each with the token
    of its sound key's final-n variant, unless that is the sound of another word of `value` ("Rahima Rahman": "rm",
    "rmn"), so that no token counts for two words. The variant is never stored: people are indexed under their
    own keys."""
    sounds = _sounds(value)
    searched = {sound for sound, _words in sounds}
    found = []
    for sound, words in sounds:
        variant = final_n_variant(sound=sound)
        variant = "" if variant in searched else variant
        tokens = frozenset(token for _kind, token in _group_tokens(key, sound=sound, words=words))
        found.append(SearchWord(tokens=tokens,
                                sound=_mac(key, TokenKind.SOUND, sound, TOKEN_HEX) if sound else "",
                                variant=_mac(key, TokenKind.SOUND, variant, TOKEN_HEX) if variant else ""))
    return found
