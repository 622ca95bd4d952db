import CIXCore

/// What the store did with one offered event.
package struct IngestOutcome: Sendable, Equatable {
    package enum Result: Sendable, Equatable {
        /// Appended to the log and applied.
        case stored
        /// Already held (in the log or waiting for parents); nothing changed.
        case duplicate
        /// Held until these parents arrive.
        case pending(missing: [EventID])
        /// Refused for the reason given; nothing changed.
        case rejected(CoreError)
    }

    package let id: EventID
    package let result: Result

    package init(id: EventID, result: Result) {
        self.id = id
        self.result = result
    }

    package var isStored: Bool {
        if case .stored = result { return true }
        return false
    }
}
