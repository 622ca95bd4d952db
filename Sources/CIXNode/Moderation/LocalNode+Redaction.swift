import CIXCanonicalJSON
import CIXCore
import CIXStore

extension LocalNode {
    /// Removes a contribution everywhere (a signed `redact`), or with `replacement` (see
    /// `replacement(for:on:cleaning:)`) replaces it by a cleaned copy. With `[staff] keep_redacted_days`,
    /// the removed body is kept on this node for moderators until that many days from now, then
    /// deleted by the upkeep; without it, nothing of it is kept. It is read before the redaction
    /// (which scrubs it from the store) and kept only once the redaction is signed and stored.
    package func redact(
        _ target: EventID,
        on issue: EventID,
        reason: String,
        replacement: JSONObject? = nil,
        by login: String,
        now: Timestamp
    ) throws(NodeError) -> Event {
        let days = Int64(config.staff?.keep_redacted_days ?? 0)
        var original: String?
        if days > 0 {
            let stored: StoredEvent?
            do { stored = try store.event(target) } catch { throw NodeError(error) }
            if let stored, let content = (try? Event.decodeStored(stored.bytes))?.content,
                let bytes = try? JSONValue.object(content.json).canonicalBytes()
            {
                original = String(decoding: bytes, as: UTF8.self)
            }
        }
        let removal = try act(
            .redact(RedactBody(target: target, reason: reason, replacement: replacement)),
            on: issue,
            now: now
        )
        if let original {
            let at = now.secondsSinceEpoch
            do {
                try staffRecords.keepOriginal(
                    RedactedOriginal(
                        event: target.hex,
                        issue: issue.hex,
                        content: original,
                        redactedBy: login,
                        at: at,
                        keepUntil: at + days * 86_400
                    )
                )
            } catch {
                throw NodeError(error)
            }
        }
        return removal
    }
}
