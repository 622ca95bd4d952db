// swift-tools-version:6.2
import PackageDescription

/// One package, one module per concern. Dependencies run one way:
/// CanonicalJSON ← Core ← Store ← Node ← cix.
let package = Package(
    name: "cix",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "cix", targets: ["cix"]),
        .library(name: "CIXCore", targets: ["CIXCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/attaswift/BigInt.git", from: "6.0.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
    ],
    targets: [
        // RFC 8785 canonical JSON and a strict parser. No dependencies.
        .target(name: "CIXCanonicalJSON"),
        // Records, ids, signatures, authority rules and the fold. Pure: no I/O, no clock.
        .target(
            name: "CIXCore",
            dependencies: [
                "CIXCanonicalJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "BigInt", package: "BigInt"),
            ]
        ),
        // Category taxonomy, GeoJSON areas, and the router.
        .target(name: "CIXRouting", dependencies: ["CIXCore", "CIXCanonicalJSON"]),
        // The store as protocols any backend implements, with the ingest rules as a pure plan.
        .target(name: "CIXStore", dependencies: ["CIXCore", "CIXCanonicalJSON"]),
        // The embedded backend: SQLite through GRDB (log, projections, search, private data).
        .target(
            name: "CIXSQLite",
            dependencies: [
                "CIXCore",
                "CIXCanonicalJSON",
                "CIXStore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Mail to residents: messages as RFC 5322 text, and an SMTP client with STARTTLS.
        .target(
            name: "CIXMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // A node on disk: its data directory, config, keys, certificate, and local operations.
        .target(
            name: "CIXNode",
            dependencies: [
                "CIXCore",
                "CIXMail",
                "CIXStore",
                "CIXSQLite",
                "CIXPostgres",
                "CIXRouting",
                "CIXPhoto",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // Node to node: RFC 9421 request signatures, the peer client, pull streams.
        .target(
            name: "CIXFederation",
            dependencies: [
                "CIXCore",
                "CIXStore",
                "CIXNode",
                "CIXPhoto",
                "CIXCanonicalJSON",
                "CMalloc",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Staff accounts, sign-in, roles and the audit trail: who may do what on a node.
        .target(
            name: "CIXStaff",
            dependencies: [
                "CIXCore", "CIXStore",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Open311 GeoReport v2 (with mySociety's extension) over a node.
        .target(
            name: "CIXOpen311",
            dependencies: [
                "CIXCore", "CIXStore", "CIXNode", "CIXRouting", "CIXCanonicalJSON",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The HTTPS surfaces over one listener: federation, Open311, public pages, health.
        .target(
            name: "CIXServer",
            dependencies: [
                "CIXCore",
                "CIXStaff",
                "CIXNode",
                "CIXFederation",
                "CIXOpen311",
                "CIXRouting",
                "CIXWeb",
                "CIXPhoto",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The fictional district of Greenfield and its sample reports: for the demo, tests and benchmarks only.
        .target(name: "CIXDemo", dependencies: ["CIXCore", "CIXRouting", "CIXNode", "CIXStore", "CIXCanonicalJSON"]),
        // Wiring only: the daemon's router, listener and services from a node and its settings.
        .target(
            name: "CIXApp",
            dependencies: [
                "CIXCore", "CIXNode", "CIXFederation", "CIXOpen311", "CIXServer", "CIXWeb", "CIXBridge",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libjpeg-turbo and libpng from the system (Debian: libturbojpeg0-dev, libpng-dev).
        .systemLibrary(
            name: "CTurboJPEG",
            pkgConfig: "libturbojpeg",
            providers: [.apt(["libturbojpeg0-dev"])]
        ),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        // glibc's allocator controls, to give freed memory back during long pulls.
        .systemLibrary(name: "CMalloc"),
        // Residents' photos re-encoded from their pixels, so no metadata survives.
        .target(name: "CIXPhoto", dependencies: ["CIXCore", "CTurboJPEG", "CPNG"]),
        // The public pages, feeds and data formats, rendered from a node's store.
        .target(
            name: "CIXWeb",
            dependencies: [
                "CIXCore", "CIXStore", "CIXNode", "CIXRouting", "CIXCanonicalJSON", "CIXStaff",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Fixed keys, event builders, temporary and live nodes, fake peers and tables for tests and benchmarks.
        .target(
            name: "CIXTesting",
            dependencies: [
                "CIXCore", "CIXCanonicalJSON", "CIXStore", "CIXSQLite", "CIXNode", "CIXFederation", "CIXRouting",
                "CIXDemo", "CIXApp", "CIXServer", "CIXWeb", "CIXStaff", "CIXBridge", "CIXPostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The PostgreSQL backend (issue 16, in progress): the event log and the fold's projection.
        .target(
            name: "CIXPostgres",
            dependencies: [
                "CIXCore", "CIXCanonicalJSON", "CIXStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Reaching bodies not on CIX: the outbox, their Open311 endpoints, and mail through [mail].
        .target(
            name: "CIXBridge",
            dependencies: [
                "CIXCore", "CIXCanonicalJSON", "CIXStore", "CIXNode", "CIXFederation", "CIXMail", "CIXRouting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "cix",
            dependencies: [
                "CIXNode",
                "CIXStaff",
                "CIXApp",
                "CIXDemo",
                "CIXServer",
                "CIXFederation",
                "CIXRouting",
                "CIXPhoto",
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                "CIXCore",
                "CIXCanonicalJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "cix-bench",
            dependencies: [
                "CIXTesting", "CIXNode", "CIXDemo", "CIXRouting", "CIXStore", "CIXSQLite", "CIXStaff", "CIXPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/CIXBench"
        ),
        // Tests mirror the modules; live multi-node tests over HTTPS live in CIXIntegrationTests.
        .testTarget(name: "CIXCanonicalJSONTests", dependencies: ["CIXCanonicalJSON"]),
        .testTarget(name: "CIXMailTests", dependencies: ["CIXMail"]),
        .testTarget(name: "CIXCoreTests", dependencies: ["CIXCore", "CIXTesting", "CIXNode"]),
        .testTarget(name: "CIXRoutingTests", dependencies: ["CIXRouting", "CIXDemo", "CIXTesting"]),
        .testTarget(name: "CIXStoreTests", dependencies: ["CIXStore", "CIXTesting"]),
        .testTarget(
            name: "CIXPostgresTests",
            dependencies: [
                "CIXPostgres", "CIXSQLite", "CIXStore", "CIXCore", "CIXCanonicalJSON", "CIXTesting", "CIXFederation",
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "CIXSQLiteTests",
            dependencies: [
                "CIXSQLite", "CIXPostgres", "CIXStore", "CIXTesting", "CIXRouting",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["schema.sql"]
        ),
        .testTarget(
            name: "CIXNodeTests",
            dependencies: [
                "CIXNode", "CIXTesting", "CIXStore", "CIXPostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(
            name: "CIXStaffTests",
            dependencies: [
                "CIXStaff", "CIXStore", "CIXSQLite", "CIXTesting", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
        .testTarget(
            name: "CIXFederationTests",
            dependencies: ["CIXFederation", "CIXNode", "CIXStore", "CIXTesting", "CIXCanonicalJSON"]
        ),
        .testTarget(
            name: "CIXServerTests",
            dependencies: [
                "CIXServer", "CIXNode", "CIXStore", "CIXTesting", "CIXWeb", "CIXFederation", "CIXCanonicalJSON",
                "CIXRouting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "CIXAppTests",
            dependencies: [
                "CIXApp", "CIXServer", "CIXNode", "CIXStore", "CIXSQLite", "CIXTesting", "CIXFederation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "cixTests",
            dependencies: ["cix", "CIXTesting", "CIXNode", "CIXCanonicalJSON", "CIXStore", "CIXSQLite"],
            exclude: ["Golden"]
        ),
        // Faults and load on real daemons; each test runs only when CIX_FAULT_SUITE is set (see README).
        .testTarget(
            name: "CIXFaultTests",
            dependencies: [
                "CIXFederation", "CIXServer", "CIXApp", "CIXTesting", "CIXNode", "CIXStore", "CIXSQLite", "CIXCore",
                "CIXCanonicalJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CIXIntegrationTests",
            dependencies: [
                "CIXFederation", "CIXServer", "CIXApp", "CIXTesting", "CIXNode", "CIXRouting", "CIXOpen311", "CIXPhoto",
                "CIXWeb", "CIXSQLite", "CIXStore", "CIXDemo", "CIXStaff",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
