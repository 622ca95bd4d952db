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
            ]
        ),
        // SQLite through GRDB: the event log, projections, search, private contacts.
        .target(
            name: "CIXStore",
            dependencies: [
                "CIXCore",
                "CIXCanonicalJSON",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // A node on disk: its data directory, config, keys, certificate, and local operations.
        .target(
            name: "CIXNode",
            dependencies: [
                "CIXCore",
                "CIXStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // Fixed keys, event builders and temporary nodes for tests and benchmarks.
        .target(name: "CIXTesting", dependencies: ["CIXCore", "CIXStore", "CIXNode"]),
        .executableTarget(
            name: "cix",
            dependencies: [
                "CIXNode",
                "CIXStore",
                "CIXCore",
                "CIXCanonicalJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "cix-bench",
            dependencies: ["CIXTesting", "CIXNode"],
            path: "Benchmarks/CIXBench"
        ),
        .testTarget(name: "CIXCanonicalJSONTests", dependencies: ["CIXCanonicalJSON"]),
        .testTarget(name: "CIXCoreTests", dependencies: ["CIXCore", "CIXTesting"]),
        .testTarget(name: "CIXStoreTests", dependencies: ["CIXStore", "CIXTesting"]),
        .testTarget(
            name: "CIXNodeTests",
            dependencies: [
                "CIXNode", "CIXTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(name: "cixTests", dependencies: ["cix", "CIXTesting", "CIXNode"]),
    ],
    swiftLanguageModes: [.v6]
)
