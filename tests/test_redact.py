from octasip.core.redact import redact

SIP = (
    "INVITE sip:+15551234567@example.com SIP/2.0\r\n"
    'Authorization: Digest username="alice", realm="x", nonce="abc", response="0123456789abcdef"\r\n'
    'Proxy-Authorization: Digest username="alice", response="fedcba"\r\n'
    "Content-Type: application/sdp\r\n\r\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:32\r\n"
)


def test_redact_removes_auth_keys_and_numbers():
    out = redact(SIP)
    assert "0123456789abcdef" not in out and "fedcba" not in out
    assert "WVNfX19zZW1jdGwg" not in out
    assert "5551234567" not in out and "567@example.com" in out
    assert "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:[redacted]" in out


def test_redact_password_values():
    assert "hunter2" not in redact("password=hunter2 user=alice")
