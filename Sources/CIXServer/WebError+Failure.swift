import CIXNode
import CIXStore
import CIXWeb
import Logging

extension WebError {
    /// The page-level answer to any failure of a resident's request: its own
    /// status for a `WebError`; 503 (try again shortly, nothing was saved) when
    /// the store cannot take writes; otherwise 500 without internal details.
    init(_ error: any Error) {
        switch error {
        case let error as WebError:
            self = error
        case let error as NodeError where error.code == .unavailable:
            self = Self.storageUnavailable
        case let error as StoreError where error.isUnavailable:
            self = Self.storageUnavailable
        default:
            self = WebError(500, "something went wrong on this node; nothing was changed; please try again later")
        }
    }

    static let storageUnavailable = WebError(
        503, "this node cannot save anything at the moment, so nothing was saved; please try again in a minute")
}
