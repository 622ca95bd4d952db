import ArgumentParser
import CIXNode
import CIXTesting
import Foundation

/// `cix-bench`: reproducible measurements that print figures.
@main
struct CIXBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cix-bench",
        abstract: "Reproducible measurements of a CIX node: build with -c release, then run.",
        subcommands: [
            Ingest.self, Phases.self, Federation.self, Routing.self, Vectors.self, WebStoreCommand.self,
            StaffStoreCommand.self, Scrub.self, Repair.self, StoreBackends.self, CatchUp.self, CountryCommand.self,
        ]
    )

    struct StoreBackends: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store-backends",
            abstract: "The same events ingested into SQLite and into PostgreSQL (a cluster started on loopback)."
        )
        @Argument(help: "How many events.") var events = 100_000
        @Flag(help: "Only PostgreSQL (to compare two builds of its store).") var postgresOnly = false

        func run() async throws {
            try await StoreBackendBenchmark(events: events, postgresOnly: postgresOnly).run()
        }
    }

    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import generated signed events into a fresh node, beside the raw Ed25519 verify rate."
        )
        @Argument(help: "How many events.") var events = 100_000
        @Argument(help: "Events per issue.") var eventsPerIssue = 10

        func run() async throws {
            try await IngestBenchmark(events: events, eventsPerIssue: eventsPerIssue).run()
        }
    }

    struct Phases: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decode, verify and store, measured apart.")
        @Argument(help: "How many events.") var events = 50_000

        func run() async throws { try await PhaseBenchmark(events: events).run() }
    }

    struct Federation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A mirror catching up over HTTPS, push latency, and idle memory."
        )
        @Argument(help: "How many events.") var events = 100_000

        func run() async throws { try await FederationBenchmark(events: events).run() }
    }

    struct CatchUp: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "catch-up",
            abstract: "A fresh mirror on PostgreSQL catching up from many bodies at once over HTTPS."
        )
        @Argument(help: "How many events, over every body.") var events = 1_000_000
        @Option(help: "How many bodies serve them (cix serve processes).") var peers = 20
        @Option(help: "Bodies pulled from at once (cix sync --concurrency).") var concurrency = 8
        @Option(help: "Events in each issue (2: a report and its routing; 10: a long life).") var eventsPerIssue = 10
        @Flag(help: "Keep the mirror and its PostgreSQL cluster afterwards (for Benchmarks/pg-read-bench.sh).")
        var keep = false
        @Option(
            help: ArgumentHelp(
                "A folder for the bodies, kept: filled the first time, served as they are after that.",
                discussion: "The same folder must be given the same events, --peers and --events-per-issue."
            )
        )
        var bodies: String?
        @Flag(help: "Only fill the bodies (in --bodies), for a later run to catch up from.") var onlyPrepare = false

        func validate() throws {
            if onlyPrepare && bodies == nil {
                throw ValidationError("--only-prepare needs --bodies: where to keep them")
            }
        }

        func run() async throws {
            try await CatchUpBenchmark(
                events: events,
                peers: peers,
                concurrency: concurrency,
                eventsPerIssue: max(1, eventsPerIssue),
                keep: keep,
                bodiesFolder: bodies.map { URL(fileURLWithPath: $0, isDirectory: true) },
                onlyPrepare: onlyPrepare
            ).run()
        }
    }

    struct CountryCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "country",
            abstract:
                "A country-shaped federation (councils, police, health, transport, voluntary groups) and a fresh mirror on PostgreSQL catching up from all of it."
        )
        @Argument(help: "How many bodies (cix serve processes), in the national shares of 1,500.") var bodies = 150
        @Argument(help: "How many reports, spread by people.") var reports = 50_000
        @Option(help: "Bodies pulled from at once (cix sync --concurrency).") var concurrency = 8

        func run() async throws {
            try await CountryBenchmark(bodies: bodies, reports: reports, concurrency: concurrency).run()
        }
    }

    struct Repair: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Repair a mirror missing 1% of a council's events, beside a full re-pull of the same store."
        )
        @Argument(help: "How many events.") var events = 100_000
        @Flag(help: "The council's store (the answering side) on PostgreSQL, a cluster started on loopback.")
        var postgres = false
        @Flag(help: "Leave out the full re-pull it is compared with (it takes longer than the repair).")
        var noFullPull = false
        @Flag(help: "Fingerprint ranges by sha256, as every repair did before sum fingerprints.")
        var sha256 = false
        @Flag(
            help:
                "Compare only the events of one of the workload's three authors (as a mirror compares a body's own), not every event."
        )
        var narrowed = false

        func run() async throws {
            try await RepairBenchmark(
                events: events,
                postgres: postgres,
                fullPull: !noFullPull,
                scheme: sha256 ? .sha256 : .sum,
                narrowed: narrowed
            ).run()
        }
    }

    struct Routing: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Routing decisions per second over detailed areas.")
        @Argument(help: "How many agency areas.") var polygons = 1_000

        func run() throws { RoutingBenchmark(polygons: polygons).run() }
    }

    struct Vectors: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the protocol vectors (Protocol/vectors).")
        @Argument(help: "The folder to write them to.") var folder: String

        func run() throws {
            try ProtocolVectors.write(to: URL(fileURLWithPath: folder))
            print("wrote \(ProtocolVectors.files().count) vector files to \(folder)")
        }
    }

    struct Scrub: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time a redaction's clean-up (search index merge, WAL truncation) on a node of generated issues."
        )
        @Argument(help: "How many issues.") var issues: Int
        @Argument(help: "The work folder (reused if it holds a node).") var folder: String

        func run() async throws {
            try await ScrubBenchmark(issues: issues, folder: URL(fileURLWithPath: folder)).run()
        }
    }

    struct StaffStoreCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "staffstore",
            abstract: "Prepare a police node with issues, staff and a signed-in session for Benchmarks/staff-bench.sh."
        )
        @Argument(help: "How many issues.") var issues: Int
        @Argument(help: "How many staff accounts.") var staff: Int
        @Argument(help: "The work folder.") var folder: String
        @Argument(help: "The port the node will serve on.") var port: Int

        func run() async throws {
            try await StaffStore(issues: issues, staff: staff, folder: URL(fileURLWithPath: folder), port: port).run()
        }
    }

    struct WebStoreCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "webstore",
            abstract: "Prepare a mirror of generated issues for Benchmarks/web-bench.sh."
        )
        @Argument(help: "How many issues.") var issues: Int
        @Argument(help: "The work folder.") var folder: String
        @Argument(help: "The port the node will serve on.") var port: Int
        @Option(help: "Keep the mirror's store in this PostgreSQL database (postgresql://…).") var store: String?
        @Option(name: .customLong("password-file"), help: "The PostgreSQL password, alone in a file.")
        var passwordFile: String?

        func run() async throws {
            try await WebStore(
                issues: issues,
                folder: URL(fileURLWithPath: folder),
                port: port,
                store: store.map { NodeConfig.Store(url: $0, password_file: passwordFile) }
            ).run()
        }
    }
}
