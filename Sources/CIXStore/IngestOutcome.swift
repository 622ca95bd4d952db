import CIXCore

/// What the store did with one offered event.
public struct IngestOutcome: Sendable {
    public enum Result: Sendable {
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

    public var isStored: Bool {
        if case .stored = result { return true }
        return false
    }
}
