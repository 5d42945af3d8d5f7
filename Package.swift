// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "paystack-mock",
    products: [
        .executable(name: "paystack-mock", targets: ["paystack-mock"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
    ],
    targets: [
        // The C boundary: libevent through pkg-config, apt package libevent-dev.
        .systemLibrary(
            name: "CLibevent",
            pkgConfig: "libevent",
            providers: [.apt(["libevent-dev"])]
        ),
        // jemalloc through pkg-config (apt libjemalloc-dev): the process's allocator.
        .systemLibrary(
            name: "CJemalloc",
            pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"])]
        ),
        // JSON instead of libevent's HTML for the errors libevent answers by itself.
        .target(
            name: "CEventHTTPErrors",
            dependencies: ["CLibevent"],
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=evhttp_send_error"])]
        ),
        // HTTP on libevent's evhttp; knows nothing of Paystack. The only module importing CLibevent.
        .target(
            name: "EventHTTP",
            dependencies: [
                "CLibevent",
                "CEventHTTPErrors",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The Paystack Customers domain: models, store, validation, handlers, seed data, webhooks.
        .target(
            name: "PaystackMock",
            dependencies: [
                "EventHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["openapi.yml"],
            plugins: ["EmbedOpenAPI"]
        ),
        // Build-time tool: turns openapi.yml into a Swift string, so serving it needs no Bundle/Foundation.
        .executableTarget(name: "embed-text", path: "Plugins/EmbedText"),
        .plugin(name: "EmbedOpenAPI", capability: .buildTool(), dependencies: ["embed-text"]),
        .executableTarget(
            name: "paystack-mock",
            dependencies: [
                "PaystackMock",
                "EventHTTP",
                "CJemalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A raw-socket HTTP/1.1 client for the live-server tests.
        .target(name: "HTTPTestSupport", path: "Tests/HTTPTestSupport"),
        .testTarget(
            name: "EventHTTPTests",
            dependencies: [
                "EventHTTP", "HTTPTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "PaystackMockTests",
            dependencies: [
                "PaystackMock", "EventHTTP", "HTTPTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
