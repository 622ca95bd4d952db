import Foundation

/// A small, thread-safe map that forgets its oldest entries past `capacity`.
///
/// For facts that never change once known: a key statement by its hash, a
/// descriptor by (node, version), a decoded event by its id and size. What it
/// holds was verified when it was first stored; keeping it saves verifying or
/// decoding it again on every read.
package final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    // Invariant: `entries` and `order` are only touched while `lock` is held.
    private let lock = NSLock()
    private var entries: [Key: Value] = [:]
    private var order: [Key] = []
    private var start = 0
    let capacity: Int

    package init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    package subscript(key: Key) -> Value? {
        lock.withLock { entries[key] }
    }

    package func insert(_ value: Value, for key: Key) {
        lock.withLock {
            guard entries.updateValue(value, forKey: key) == nil else { return }
            order.append(key)
            if order.count - start > capacity {
                entries[order[start]] = nil
                start += 1
                if start > capacity {
                    order.removeFirst(start)
                    start = 0
                }
            }
        }
    }

    /// The cached value, or the computed one, kept.
    package func value(for key: Key, compute: () throws -> Value) rethrows -> Value {
        if let known = self[key] { return known }
        let value = try compute()
        insert(value, for: key)
        return value
    }
}
