# Schemathesis hooks for the contract test (Tests/CIXIntegrationTests/Contract).
# A pushed batch is NDJSON: events one per line. Schemathesis has no built-in
# serializer for it, so generated strings are sent as UTF-8 text.
import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")
