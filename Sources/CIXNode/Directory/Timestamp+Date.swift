import CIXCore
import Foundation

extension Timestamp {
    /// The current time, to the second. Only the node layer reads the clock; the core is handed times.
    package static func now() -> Timestamp {
        Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
    }

    package var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSinceEpoch)) }
}
