// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "StackLab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "stacklab", targets: ["stacklab"]),
        .executable(name: "stacklab-refapp", targets: ["stacklab-refapp"]),
        .library(name: "StackLabCore", targets: ["StackLabCore"]),
        .library(name: "StackLabMySQL", targets: ["StackLabMySQL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .target(
            name: "StackLabCore",
            dependencies: [
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(name: "CStackLabSockets"),
        .target(
            name: "StackLabLoad",
            dependencies: [
                "CStackLabSockets",
                "StackLabCore",
                "StackLabMySQL",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            // The engine's state is confined to one thread per worker; without the runtime's exclusivity checks
            // the raw-socket path takes 36% fewer instructions per request (bench/callgrind.sh, BENCHMARKS.md).
            // SwiftPM refuses unsafeFlags in a package used as a dependency: StackLabLoad is not a product.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "StackLabMySQL",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "StackLabLocal",
            dependencies: [
                "StackLabCore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "StackLabRefApp",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "stacklab-refapp",
            dependencies: ["StackLabRefApp"]
        ),
        .target(
            name: "StackLabRunner",
            dependencies: [
                "StackLabCore",
                "StackLabLoad",
                "StackLabLocal",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .target(
            name: "StackLabStore",
            dependencies: [
                "StackLabCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "StackLabDiscovery",
            dependencies: [
                "StackLabCore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "StackLabScaling",
            dependencies: ["StackLabCore"]
        ),
        .target(name: "StackLabSupplyChain", dependencies: ["StackLabCore"]),
        .target(
            name: "StackLabReport",
            dependencies: [
                "StackLabCore",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .executableTarget(
            name: "stacklab",
            dependencies: [
                "StackLabCore",
                "StackLabDiscovery",
                "StackLabLoad",
                "StackLabLocal",
                "StackLabReport",
                "StackLabRunner",
                "StackLabScaling",
                "StackLabStore",
                "StackLabSupplyChain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "StackLabTestSupport",
            dependencies: [
                "StackLabCore",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/StackLabTestSupport"
        ),
        .testTarget(name: "StackLabCoreTests", dependencies: ["StackLabCore"]),
        .testTarget(
            name: "StackLabDiscoveryTests",
            dependencies: [
                "StackLabDiscovery", "StackLabCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "StackLabLoadTests",
            dependencies: ["StackLabLoad", "StackLabCore", "StackLabTestSupport"]
        ),
        .testTarget(
            name: "StackLabLocalTests",
            // StackLabLoad for its MQTT and AMQP framing: the broker kinds' tests talk to the brokers with it.
            dependencies: ["StackLabLocal", "StackLabCore", "StackLabLoad", "StackLabTestSupport"]
        ),
        .testTarget(
            name: "StackLabRefAppTests",
            dependencies: [
                "StackLabRefApp",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "StackLabReportTests",
            dependencies: [
                "StackLabReport", "StackLabCore", "StackLabTestSupport",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .testTarget(
            name: "StackLabGatewayTests",
            dependencies: [
                "StackLabCore", "StackLabLoad", "StackLabLocal", "StackLabRunner", "StackLabTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(
            name: "StackLabCLITests",
            dependencies: ["StackLabCore", "StackLabReport", "StackLabStore", "StackLabTestSupport", "stacklab"]
        ),
        .testTarget(
            name: "StackLabMySQLTests",
            dependencies: [
                "StackLabMySQL", "StackLabLoad", "StackLabLocal", "StackLabCore", "StackLabTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "StackLabScalingTests", dependencies: ["StackLabScaling", "StackLabCore", "StackLabTestSupport"]
        ),
        .testTarget(
            name: "StackLabSupplyChainTests",
            dependencies: ["StackLabSupplyChain", "StackLabCore", "StackLabTestSupport"]
        ),
        .testTarget(
            name: "StackLabRunnerTests",
            dependencies: ["StackLabRunner", "StackLabStore", "StackLabCore", "StackLabTestSupport"]
        ),
        .testTarget(
            name: "StackLabStoreTests",
            dependencies: [
                "StackLabStore", "StackLabCore", "StackLabTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)
