/// Public answers kept for a moment, so that a page read by many people at
/// once is rendered once (a micro-cache, as nginx's proxy_cache is often used).
///
/// An answer is fresh for `lifetime` seconds. After that the kept copy is
/// still sent while one request renders it afresh in the background, so
/// readers never wait on a render except the very first; concurrent first
/// requests for one address share one render. A post through this node's
/// forms empties the cache, so a resident sees their own change at once;
/// changes arriving by federation or from `cix` in another process are seen
/// before any answer is served again: every kept answer belongs to the store's
/// change counter it was rendered at (`EventLog.changeCounter`), and a request
/// that finds the counter moved empties the cache first, so not even a stale
/// copy is sent once a change (a redaction above all) has reached the store.
/// Lifetime 0 turns the cache off.
///
/// Only addresses whose answer is the same for every visitor go through it
/// (never a page carrying a visitor's form token).
actor PageCache {
    struct Entry {
        let answer: WebAnswer
        let expires: Double
    }

    let lifetime: Double
    /// Bounds: entries, all kept bodies together, and one answer worth keeping.
    let maxEntries = 4_096
    let maxTotalBytes = 64 << 20
    let maxBodyBytes = 1 << 20
    private var entries: [String: Entry] = [:]
    private var totalBytes = 0
    private var rendering: [String: Task<WebAnswer, Never>] = [:]
    /// Bumped by `clear`, so that a render begun before a change is not kept after it.
    private var generation = 0
    /// The store's change counter the kept answers were rendered at.
    private var version: Int64 = -1

    init(lifetime: Double) { self.lifetime = lifetime }

    /// The answer for `key`: kept, shared with a render under way, or rendered now.
    func answer(
        _ key: String,
        version current: Int64,
        now: Double,
        render: @escaping @Sendable () async -> WebAnswer
    ) async -> WebAnswer {
        guard lifetime > 0 else { return await render() }
        if current != version {
            clear()
            version = current
        }
        if let entry = entries[key] {
            if entry.expires <= now && rendering[key] == nil { start(key, render, now: now) }
            return entry.answer
        }
        if let task = rendering[key] { return await task.value }
        return await start(key, render, now: now).value
    }

    /// Renders `key` once; its answer counts as fresh from `now`, when it was asked for.
    @discardableResult
    private func start(
        _ key: String,
        _ render: @escaping @Sendable () async -> WebAnswer,
        now: Double
    )
        -> Task<WebAnswer, Never>
    {
        let started = generation
        // The render itself runs off the actor (render is not isolated to it), so pages render in parallel.
        let task = Task {
            let answer = await render()
            finish(key, answer, generation: started, now: now)
            return answer
        }
        rendering[key] = task
        return task
    }

    private func finish(_ key: String, _ answer: WebAnswer, generation started: Int, now: Double) {
        rendering[key] = nil
        guard started == generation else { return }
        remove(key)
        guard answer.shared, answer.status == .ok, answer.body.readableBytes <= maxBodyBytes else { return }
        let size = answer.body.readableBytes
        if entries.count >= maxEntries || totalBytes + size > maxTotalBytes {
            for (key, entry) in entries where entry.expires <= now { remove(key) }
            if entries.count >= maxEntries || totalBytes + size > maxTotalBytes { clearEntries() }
        }
        entries[key] = Entry(answer: answer, expires: now + lifetime)
        totalBytes += size
    }

    private func remove(_ key: String) {
        if let old = entries.removeValue(forKey: key) { totalBytes -= old.answer.body.readableBytes }
    }

    private func clearEntries() {
        entries.removeAll(keepingCapacity: true)
        totalBytes = 0
    }

    /// Forgets every kept answer, and any render begun before now.
    func clear() {
        clearEntries()
        rendering.removeAll()
        generation += 1
    }
}
