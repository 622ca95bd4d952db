import CIXWeb
import Logging

extension WebError {
    /// The page-level answer to any failure of a resident's request, through the
    /// one mapping (`RequestFailure`): a `WebError` keeps its status; 503 in a
    /// resident's words when the store cannot take writes (nothing was saved), or
    /// with the reason when a read took longer than a request may (`timed_out`);
    /// otherwise 500 naming the request id, with the cause only in the log.
    init(_ error: any Error, request id: String, logger: Logger) {
        if let error = error as? WebError {
            self = error
            return
        }
        let failure = RequestFailure(error).answering(request: id, logger: logger)
        self.init(
            Int(failure.status.code),
            failure.code == "storage_unavailable" ? Self.storageUnavailable : failure.message
        )
    }

    static let storageUnavailable =
        "this node cannot save anything at the moment, so nothing was saved; please try again in a minute"
}
