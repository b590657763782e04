"""TokenCipher: Fernet encryption of Toggl tokens, key parsing, rotation, no leaks."""

from __future__ import annotations

import pickle

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from bot.crypto import TokenCipher
from bot.errors import ConfigError

TOKEN = "1971800d4d82861d8f2c1651fea4d212"


def test_round_trip_and_ciphertext_hides_token() -> None:
    cipher = TokenCipher.from_setting(TokenCipher.generate_key())
    blob = cipher.encrypt(SecretStr(TOKEN))
    assert TOKEN.encode() not in blob
    assert cipher.decrypt(blob).get_secret_value() == TOKEN


def test_generated_key_is_a_fernet_key() -> None:
    key = TokenCipher.generate_key()
    assert isinstance(key, str)
    Fernet(key)  # raises if not valid
    assert key != TokenCipher.generate_key()


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_key_says_how_to_make_one(value: str | None) -> None:
    with pytest.raises(ConfigError) as caught:
        TokenCipher.from_setting(value)
    assert "TOKEN_ENCRYPTION_KEY" in caught.value.message
    assert "togglbot keys generate" in caught.value.message


@pytest.mark.parametrize(
    "bad",
    ["not-a-key-at-all-secret-material", "c2VjcmV0", "x" * 44, "é" * 10],
)
def test_malformed_key_never_echoes_the_key(bad: str) -> None:
    with pytest.raises(ConfigError) as caught:
        TokenCipher.from_setting(bad)
    assert "togglbot keys generate" in caught.value.message
    assert bad not in str(caught.value)
    assert bad not in repr(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_malformed_second_key_is_named_by_position_only() -> None:
    good = TokenCipher.generate_key()
    with pytest.raises(ConfigError) as caught:
        TokenCipher.from_setting(f"{good},broken-secret")
    assert "#2" in caught.value.message
    assert good not in caught.value.message
    assert "broken-secret" not in caught.value.message


def test_empty_entry_between_commas_is_rejected() -> None:
    with pytest.raises(ConfigError, match="empty entry"):
        TokenCipher.from_setting(f"{TokenCipher.generate_key()},,")


def test_accepts_secretstr_and_spaces_around_commas() -> None:
    old, new = TokenCipher.generate_key(), TokenCipher.generate_key()
    cipher = TokenCipher.from_setting(SecretStr(f" {new} , {old} "))
    assert cipher.key_count == 2


def test_wrong_key_raises_config_error_saying_key_changed() -> None:
    blob = TokenCipher.from_setting(TokenCipher.generate_key()).encrypt(SecretStr(TOKEN))
    other = TokenCipher.from_setting(TokenCipher.generate_key())
    with pytest.raises(ConfigError, match="key changed") as caught:
        other.decrypt(blob)
    assert TOKEN not in str(caught.value)
    with pytest.raises(ConfigError, match="key changed"):
        other.rotate(blob)


def test_rotation_moves_tokens_to_the_newest_key() -> None:
    old, new = TokenCipher.generate_key(), TokenCipher.generate_key()
    blob = TokenCipher.from_setting(old).encrypt(SecretStr(TOKEN))
    both = TokenCipher.from_setting(f"{new},{old}")
    assert both.decrypt(blob).get_secret_value() == TOKEN  # old keys still read
    rotated = both.rotate(blob)
    only_new = TokenCipher.from_setting(new)
    assert only_new.decrypt(rotated).get_secret_value() == TOKEN
    with pytest.raises(ConfigError):
        only_new.decrypt(blob)


def test_new_encryptions_use_the_first_key() -> None:
    old, new = TokenCipher.generate_key(), TokenCipher.generate_key()
    blob = TokenCipher.from_setting(f"{new},{old}").encrypt(SecretStr(TOKEN))
    assert TokenCipher.from_setting(new).decrypt(blob).get_secret_value() == TOKEN


def test_no_repr_or_pickle_leak() -> None:
    key = TokenCipher.generate_key()
    cipher = TokenCipher.from_setting(key)
    assert key not in repr(cipher)
    assert key not in str(cipher)
    assert repr(cipher) == "TokenCipher(keys=1)"
    with pytest.raises(TypeError):
        pickle.dumps(cipher)
    decrypted = cipher.decrypt(cipher.encrypt(SecretStr(TOKEN)))
    assert TOKEN not in repr(decrypted)
    assert TOKEN not in str(decrypted)
