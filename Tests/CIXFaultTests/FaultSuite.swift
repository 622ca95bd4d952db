import Foundation
import Testing

/// The fault suite: tests that load or break real daemons, and time them.
///
/// They run only when `CIX_FAULT_SUITE` is set, in a run of their own, so
/// that nothing else competes for the machine while they measure:
///
///     CIX_FAULT_SUITE=short swift test --skip-build --filter CIXFaultTests   # what CI runs
///     CIX_FAULT_SUITE=long swift test --skip-build --filter CIXFaultTests    # before a release: many more cycles
enum FaultSuite {
    static var mode: String? { ProcessInfo.processInfo.environment["CIX_FAULT_SUITE"] }
    static var isLong: Bool { mode == "long" }

    /// How many times a repeated fault is caused: a short form for CI, a long one for releases.
    static func cycles(short: Int, long: Int) -> Int { isLong ? long : short }
}

extension Trait where Self == ConditionTrait {
    /// Runs the suite only in the fault suite's own run (`CIX_FAULT_SUITE=short|long`).
    static var faultSuite: Self {
        .enabled(
            if: FaultSuite.mode != nil,
            "the fault suite runs on its own: CIX_FAULT_SUITE=short swift test --filter CIXFaultTests"
        )
    }
}

/// Every fault test, one after another: a test that times the node must not share the machine with another.
@Suite("Fault suite", .serialized, .faultSuite)
struct FaultRun {}
