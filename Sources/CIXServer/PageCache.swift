import Foundation

/// Public answers kept for a moment, so that a page read by many people at
/// once is rendered once (a micro-cache, as nginx's proxy_cache is often used).
///
/// An answer is fresh for `lifetime` seconds. After that the kept copy is
/// still sent while one request renders it afresh in the background, so
/// readers never wait on a render except the very first; concurrent first
/// requests for one address share one render. A post through this node's
/// forms empties the cache, so a resident sees their own change at once;
/// changes arriving by federation or from `cix` in another process show
/// within about `lifetime`. Lifetime 0 turns the cache off.
///
/// Only addresses whose answer is the same for every visitor go through it
/// (never a page carrying a visitor's form token).
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
    private var rendering: [String: Task<WebAnswer, Never>] = [:]
    /// Bumped by `clear`, so that a render begun before a change is not kept after it.
    private var generation = 0

    init(lifetime: Double) { self.lifetime = lifetime }

    /// The answer for `key`: kept, shared with a render under way, or rendered now.
    func answer(_ key: String, now: Double, render: @escaping @Sendable () async -> WebAnswer) async -> WebAnswer {
        guard lifetime > 0 else { return await render() }
        if let entry = entries[key] {
            if entry.expires <= now && rendering[key] == nil { start(key, render) }
            return entry.answer
        }
        if let task = rendering[key] { return await task.value }
        return await start(key, render).value
    }

    @discardableResult
    private func start(_ key: String, _ render: @escaping @Sendable () async -> WebAnswer) -> Task<WebAnswer, Never> {
        let started = generation
        // The render itself runs off the actor (render is not isolated to it), so pages render in parallel.
        let task = Task {
            let answer = await render()
            finish(key, answer, generation: started)
            return answer
        }
        rendering[key] = task
        return task
    }

    private func finish(_ key: String, _ answer: WebAnswer, generation started: Int) {
        rendering[key] = nil
        guard started == generation, answer.shared, answer.status == .ok, answer.body.readableBytes <= maxBodyBytes else {
            if started == generation { entries[key] = nil }
            return
        }
        let now = Date().timeIntervalSince1970
        if entries.count >= maxEntries {
            entries = entries.filter { $0.value.expires > now }
            if entries.count >= maxEntries { entries.removeAll(keepingCapacity: true) }
        }
        entries[key] = Entry(answer: answer, expires: now + lifetime)
    }

    /// Forgets every kept answer, and any render begun before now.
    func clear() {
        entries.removeAll(keepingCapacity: true)
        rendering.removeAll()
        generation += 1
    }
}
