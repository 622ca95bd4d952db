import CIXCore
import Foundation
import Synchronization

/// Whether the store's writes are succeeding: the first storage failure since
/// events or a report were last stored, if any. `/healthz` reports the store degraded
/// while one stands, so a monitor sees a full disk before peers give up.
package final class WriteHealth: Sendable {
    /// A run of failed writes: when it began and the latest failure's message.
    package struct Failure: Sendable, Equatable {
        package let since: Timestamp
        package var message: String
    }

    private let state = Mutex<Failure?>(nil)

    package init() {}

    /// The failure standing now, or nil while writes succeed.
    package var failure: Failure? { state.withLock { $0 } }

    package func succeeded() {
        state.withLock { if $0 != nil { $0 = nil } }
    }

    /// Records a failed write; only storage faults count (a refused change says nothing of the disk).
    package func failed(
        _ error: StoreError,
        at now: Timestamp = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
    ) {
        guard error.isUnavailable else { return }
        state.withLock { failure in
            if failure == nil {
                failure = Failure(since: now, message: error.message)
            } else {
                failure?.message = error.message
            }
        }
    }
}
