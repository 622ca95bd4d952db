import Foundation

/// Public answers kept for a moment, so that a page read by many people at
/// once is rendered once (a micro-cache, as nginx's proxy_cache is often used).
///
/// An answer is served from here for at most `lifetime` seconds; a post
/// through this node's forms empties the cache at once, so a resident sees
/// their own change. Changes arriving by federation or from `cix` commands in
/// another process show within `lifetime`. Lifetime 0 turns the cache off.
actor PageCache {
    struct Entry {
        let answer: WebAnswer
        let expires: Double
    }

    let lifetime: Double
    /// Bounds: entries, and the size of one answer worth keeping.
    let maxEntries = 4_096
    let maxBodyBytes = 1 << 20
    private var entries: [String: Entry] = [:]

    init(lifetime: Double) { self.lifetime = lifetime }

    /// The kept answer for `key`, if it is still fresh. Rendering happens
    /// outside the actor, so that pages render in parallel.
    func lookup(_ key: String, now: Double) -> WebAnswer? {
        guard lifetime > 0, let entry = entries[key], entry.expires > now else { return nil }
        return entry.answer
    }

    /// Keeps an answer if every visitor may be sent it.
    func keep(_ answer: WebAnswer, for key: String, now: Double) {
        guard lifetime > 0, answer.shared, answer.status == .ok, answer.body.readableBytes <= maxBodyBytes else { return }
        if entries.count >= maxEntries {
            entries = entries.filter { $0.value.expires > now }
            if entries.count >= maxEntries { entries.removeAll(keepingCapacity: true) }
        }
        entries[key] = Entry(answer: answer, expires: now + lifetime)
    }

    func clear() { entries.removeAll(keepingCapacity: true) }
}
