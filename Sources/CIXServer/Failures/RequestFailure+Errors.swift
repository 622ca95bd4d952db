import CIXCore
import CIXFederation
import CIXNode
import CIXOpen311
import CIXPhoto
import CIXStaff
import CIXStore
import CIXWeb
import Hummingbird
import Logging

extension RequestFailure {
    /// The one mapping from what went wrong to what the client is told.
    ///
    /// The client's faults keep their own status and code. Storage faults
    /// (disk full, a failed sync, a locked store) are 503 `storage_unavailable`
    /// with Retry-After: nothing was stored, and the same request may succeed
    /// later. Anything else is the node's own failure: 500 `internal`, the cause
    /// kept for the log, never sent.
    init(_ error: any Error) {
        switch error {
        case let failure as RequestFailure:
            self = failure
        case let error as FederationError:
            self.init(.init(code: error.status), error.code.rawValue, error.message, retryAfter: error.retryAfter)
            if error.code == .rateLimited, retryAfter == nil { retryAfter = 60 }
            if error.status == 401 { headers[.wwwAuthenticate] = "Signature realm=\"cix\"" }
            if error.status >= 500 { cause = error }
        case let error as StoreError where error.isUnavailable:
            self = .storageUnavailable(cause: error)
        case let error as StoreError where error.code == .timedOut:
            self = .timedOut(error.message)
        case let error as NodeError:
            switch error.code {
            case .unavailable: self = .storageUnavailable(cause: error)
            case .timedOut: self = .timedOut(error.message)
            case .invalidInput: self.init(.badRequest, "bad_request", error.message)
            case .notFound: self.init(.notFound, "not_found", error.message)
            case .readOnly: self.init(.methodNotAllowed, "read_only", error.message)
            default: self = .internal(cause: error)
            }
        case let error as IntakeError:
            switch error {
            case .invalid(let problems):
                self.init(.badRequest, "bad_request", problems.map(\.message).joined(separator: " "))
            case .failed(let failure): self.init(failure)
            }
        case let error as WebError:
            self.init(.init(code: error.status), Self.code(status: error.status), error.message)
            if error.status == 429 { retryAfter = 60 }
        case let error as StaffError:
            switch error.code {
            case .signInFailed: self.init(.unauthorized, "sign_in_failed", error.message)
            case .throttled:
                self.init(.tooManyRequests, "rate_limited", error.message, retryAfter: error.retryAfter ?? 60)
            case .invalidInput: self.init(.badRequest, "bad_request", error.message)
            case .notFound: self.init(.notFound, "not_found", error.message)
            case .forbidden: self.init(.forbidden, "forbidden", error.message)
            case .conflict: self.init(.conflict, "conflict", error.message)
            case .storage: self = .storageUnavailable(cause: error)
            }
        case let error as PhotoError:
            self.init(.unprocessableContent, "bad_photo", error.message)
        case let error as CoreError:
            self.init(.badRequest, error.code.rawValue, error.message)
        default:
            self = .internal(cause: error)
        }
    }

    /// A read the store cancelled after the time a request may take: 503 `timed_out`, with the
    /// reason (the client's search was too costly now; nothing of the node's is broken).
    static func timedOut(_ message: String) -> Self {
        Self(.serviceUnavailable, "timed_out", message, retryAfter: 30)
    }

    /// The stable code for a status when the failure names none of its own.
    static func code(status: Int) -> String {
        switch status {
        case 400: "bad_request"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 413: "too_large"
        case 429: "rate_limited"
        case 503: "unavailable"
        default: status >= 500 ? "internal" : "bad_request"
        }
    }

    static func storageUnavailable(cause: any Error) -> Self {
        var failure = Self(
            .serviceUnavailable,
            "storage_unavailable",
            "this node cannot store anything right now; nothing was stored; send it again later",
            retryAfter: 30
        )
        failure.cause = cause
        return failure
    }

    static func `internal`(cause: any Error) -> Self {
        var failure = Self(.internalServerError, "internal", "the node could not answer; nothing was changed")
        failure.cause = cause
        return failure
    }

    /// This failure as it is sent for request `id`: a 500 names the request id to
    /// quote to the node's operator, whose log has the cause under it.
    func answering(request id: String, logger: Logger) -> Self {
        guard status.code >= 500 else { return self }
        var failure = self
        // A read cut off at the request's time is load, not a fault of the node.
        logger.log(
            level: code == "timed_out" ? .warning : .error,
            "request failed",
            metadata: ["request_id": "\(id)", "code": "\(code)", "error": "\(cause.map { "\($0)" } ?? message)"]
        )
        if status == .internalServerError {
            failure = Self(
                status,
                code,
                "the node could not answer; its operator can find what happened under request id \(id)"
            )
        }
        return failure
    }
}

/// Turns whatever a JSON surface's handler throws into its JSON answer (see `RequestFailure`).
package struct JSONFailureMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            return RequestFailure(error).answering(request: context.id, logger: context.logger).jsonResponse
        }
    }
}
