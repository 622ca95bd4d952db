import CIXCore

/// What the store did with one offered event.
public struct IngestOutcome: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        /// Appended to the log and applied.
        case stored
        /// Already held (in the log or waiting for parents); nothing changed.
        case duplicate
        /// Held until these parents arrive.
        case pending(missing: [EventID])
        /// Refused for the reason given; nothing changed.
        case rejected(CoreError)
    }

    public let id: EventID
    public let result: Result

    public init(id: EventID, result: Result) {
        self.id = id
        self.result = result
    }

    public var isStored: Bool {
        if case .stored = result { return true }
        return false
    }
}
