import CIXCore
import CIXNode
import CIXStore
import CIXTesting
import Foundation

/// `cix-bench`: reproducible measurements that print figures.
///
///     swift run -c release cix-bench ingest [EVENTS] [EVENTS_PER_ISSUE]
///     swift run -c release cix-bench phases [EVENTS]
///     swift build -c release && .build/release/cix-bench federation [EVENTS]
///     swift run -c release cix-bench routing [POLYGONS]
///     swift run -c release cix-bench vectors DIR
///     swift run -c release cix-bench webstore ISSUES DIR PORT   (used by Benchmarks/web-bench.sh)
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "ingest":
    let events = arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000
    let perIssue = arguments.count > 2 ? Int(arguments[2]) ?? 10 : 10
    try await IngestBenchmark(events: events, eventsPerIssue: perIssue).run()
case "federation":
    try await FederationBenchmark(events: arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000).run()
case "routing":
    RoutingBenchmark(polygons: arguments.count > 1 ? Int(arguments[1]) ?? 1_000 : 1_000).run()
case "phases":
    try await PhaseBenchmark(events: arguments.count > 1 ? Int(arguments[1]) ?? 50_000 : 50_000).run()
case "webstore":
    guard arguments.count > 3, let issues = Int(arguments[1]), let port = Int(arguments[3]) else {
        print("usage: cix-bench webstore ISSUES DIR PORT")
        exit(64)
    }
    try await WebStore(issues: issues, folder: URL(fileURLWithPath: arguments[2]), port: port).run()
case "vectors":
    guard arguments.count > 1 else {
        print("usage: cix-bench vectors DIR")
        exit(64)
    }
    try ProtocolVectors.write(to: URL(fileURLWithPath: arguments[1]))
    print("wrote \(ProtocolVectors.files().count) vector files to \(arguments[1])")
default:
    print("usage: cix-bench ingest [EVENTS] [EVENTS_PER_ISSUE] | phases [EVENTS] | federation [EVENTS] | routing [POLYGONS] | vectors DIR | webstore ISSUES DIR PORT")
    exit(64)
}
