import Foundation

/// Runs blocking work (a synchronous store's calls, many of them) on a thread of its own,
/// so that a test waiting for it never holds one of the few threads every async task of
/// the test process shares: on two cores, two such tests would stall every in-process server.
package func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
