// swift-tools-version:6.1
import Foundation
import PackageDescription
#if canImport(Glibc)
import Glibc
#endif

/// How release builds are linked, for a smaller idle server (bench/RESULTS.md, issue 18):
/// - by the toolchain's lld with packed relative relocations (DT_RELR), where this machine's loader
///   reads them (glibc 2.36 and later: Debian 12, Ubuntu 22.10). The binary is position-independent
///   with ~40,000 relative relocations: as RELA entries (24 bytes each) the loader read ~950 KB of
///   them at every start, which stayed resident. Idle RSS 14.8 -> 13.9 MiB. On an older glibc the
///   binary is linked as before.
/// - without `-export-dynamic` (which the toolchain's static-stdlib link adds): every symbol of the
///   program went into the dynamic symbol table, 320 KB of it, which the loader searches first for
///   every symbol a shared library binds. What stays exported: `evhttp_send_error` (CEventShims),
///   and libevent's `evthread_lock_fns_`, which the linked-in OpenSSL bufferevents read directly
///   (the linker keeps it exported, so libevent and they share one copy).
let releaseLinking: [LinkerSetting] = {
    var flags = ["-Xlinker", "--no-export-dynamic"]
    #if canImport(Glibc)
    var text = [CChar](repeating: 0, count: 64)  // "glibc 2.36"
    if confstr(Int32(_CS_GNU_LIBC_VERSION), &text, text.count) > 0 {
        let name = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let version = name.split(separator: " ").last?.split(separator: ".").compactMap { Int($0) } ?? []
        if version.count >= 2, (version[0], version[1]) >= (2, 36) {
            flags += ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"]
        }
    }
    #endif
    return [.unsafeFlags(flags, .when(configuration: .release))]
}()

/// OpenSSL and libevent's OpenSSL bufferevents: linked statically into release builds (libssl-dev
/// ships the archives), dynamically into the others (tests, sanitizers, fuzzers). Loading
/// libcrypto.so bound and relocated all of it at start, ~1 MB that stayed resident even with HTTPS
/// off; linked in, only what the server calls is there, and its relocations are packed with the
/// rest. A release binary so carries the OpenSSL it was built with: rebuild it after an OpenSSL
/// security update (README). libevent's OpenSSL part uses libevent's internals, so the binary needs
/// the libevent build it was linked against (Debian's packages pin the two to each other).
let openSSLLinking: [LinkerSetting] = [
    .linkedLibrary("event_openssl", .when(configuration: .debug)),
    .linkedLibrary("ssl", .when(configuration: .debug)),
    .linkedLibrary("crypto", .when(configuration: .debug)),
    .unsafeFlags(["-Xlinker", "-l:libevent_openssl.a", "-Xlinker", "-l:libssl.a", "-Xlinker", "-l:libcrypto.a"],
                 .when(configuration: .release)),
]

/// Sanitizer builds (`make sanitize`) leave jemalloc out: ASan and TSan replace malloc themselves.
let linksJemalloc = ProcessInfo.processInfo.environment["PAYSTACK_MOCK_SANITIZE"] == nil

// Modules, lowest first; a module imports only modules above it in this list
// (scripts/check-layering.sh checks the import lines in `make test`):
//   C shims → Platform → JSON → EventHTTP, PaystackCore → PaystackAPI, Webhooks → Sandbox
//   → PaystackMock (the assembled application) → paystack-mock (the executable).
let package = Package(
    name: "paystack-mock",
    products: [
        .executable(name: "paystack-mock", targets: ["paystack-mock"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // libevent through pkg-config (apt libevent-dev).
        .systemLibrary(name: "CLibevent", pkgConfig: "libevent", providers: [.apt(["libevent-dev"])]),
        // jemalloc through pkg-config (apt libjemalloc-dev): the process's allocator.
        .systemLibrary(name: "CJemalloc", pkgConfig: "jemalloc", providers: [.apt(["libjemalloc-dev"])]),
        // The errors libevent answers by itself, rendered by the application (see its header).
        .target(
            name: "CEventShims",
            dependencies: ["CLibevent"],
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=evhttp_send_error"])]
        ),
        // OpenSSL (apt libssl-dev) behind plain C functions: HMAC for webhook signatures, and TLS.
        // OpenSSL rather than swift-crypto: the server's TLS needs it anyway, and swift-crypto's
        // BoringSSL was most of every clean build (each sanitizer and fuzzing build included).
        .target(
            name: "CTLS",
            dependencies: ["CLibevent"],
            linkerSettings: openSSLLinking
        ),
        // Locks, system-call errors, files, clocks: what every layer needs from the system.
        .target(name: "Platform"),
        // JSON values, a strict parser and a fast writer; knows no HTTP.
        .target(name: "JSON", dependencies: ["Platform"]),
        // HTTP on libevent's evhttp; knows nothing of Paystack. The only module importing CLibevent.
        .target(
            name: "EventHTTP",
            dependencies: ["CLibevent", "CEventShims", "CTLS", "Platform", .product(name: "Logging", package: "swift-log")]
        ),
        // The domain: model, store, persistence, seed and state codec. No HTTP; domain errors.
        .target(name: "PaystackCore", dependencies: ["Platform", "JSON"]),
        // Paystack's /customer routes: validation, messages, error envelopes, JSON shapes.
        .target(name: "PaystackAPI", dependencies: ["PaystackCore", "EventHTTP", "JSON", "Platform"]),
        // Identification outcomes and signed webhook deliveries, on the background loop.
        .target(
            name: "Webhooks",
            dependencies: ["PaystackCore", "EventHTTP", "JSON", "Platform", "CTLS"]
        ),
        // The /_sandbox/ admin API and the request pipeline (faults, journal, rate limit, CORS).
        .target(name: "Sandbox", dependencies: ["PaystackAPI", "Webhooks", "PaystackCore", "EventHTTP", "JSON", "Platform"]),
        // The MCP surface: JSON-RPC over POST /mcp and stdio; every tool is a request to the responder.
        .target(name: "MCP", dependencies: ["EventHTTP", "JSON", "Platform"]),
        // The browser dashboard (static files built in) and the live event stream.
        .target(
            name: "Dashboard",
            dependencies: ["Sandbox", "Webhooks", "PaystackAPI", "PaystackCore", "EventHTTP", "JSON", "Platform"],
            exclude: ["Resources"],
            plugins: ["EmbedResources"]
        ),
        // The assembled application, used alike by the executable and the tests.
        .target(
            name: "PaystackMock",
            dependencies: ["Dashboard", "MCP", "Sandbox", "Webhooks", "PaystackAPI", "PaystackCore", "EventHTTP", "JSON", "Platform"],
            exclude: ["openapi.yml"],
            plugins: ["EmbedResources"]
        ),
        // Build-time tool: turns openapi.yml and the bundled seed into Swift strings (no Bundle/Foundation).
        .executableTarget(name: "embed-text", path: "Plugins/EmbedText"),
        .plugin(name: "EmbedResources", capability: .buildTool(), dependencies: ["embed-text"]),
        .executableTarget(
            name: "paystack-mock",
            dependencies: [
                "PaystackMock", "MCP", "Sandbox", "Webhooks", "PaystackCore", "EventHTTP", "Platform",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ] + (linksJemalloc ? ["CJemalloc"] : []),
            linkerSettings: releaseLinking
        ),
        // libFuzzer targets over the code that reads untrusted bytes (`make fuzz`, scripts/fuzz.sh).
        .target(name: "FuzzSupport", path: "Fuzz/FuzzSupport"),
        .executableTarget(name: "json-fuzzer", dependencies: ["JSON", "FuzzSupport"], path: "Fuzz/JSONFuzzer"),
        .executableTarget(name: "form-fuzzer", dependencies: ["EventHTTP", "PaystackAPI", "FuzzSupport"], path: "Fuzz/FormFuzzer"),
        .executableTarget(name: "router-fuzzer", dependencies: ["PaystackMock", "Sandbox", "PaystackCore", "EventHTTP", "JSON", "FuzzSupport"], path: "Fuzz/RouterFuzzer"),
        .executableTarget(name: "seed-fuzzer", dependencies: ["PaystackCore", "FuzzSupport"], path: "Fuzz/SeedFuzzer"),
        // A raw-socket HTTP/1.1 client for the live-server tests.
        .target(name: "HTTPTestSupport", dependencies: ["CTLS"], path: "Tests/HTTPTestSupport"),
        .testTarget(
            name: "EventHTTPTests",
            dependencies: ["EventHTTP", "JSON", "Platform", "HTTPTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "PaystackMockTests",
            dependencies: [
                "PaystackMock", "Dashboard", "MCP", "Sandbox", "Webhooks", "PaystackAPI", "PaystackCore", "EventHTTP", "JSON",
                "Platform", "HTTPTestSupport", "CTLS",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

// Release builds go without the run-time exclusivity checks (two overlapping accesses to one
// variable, a programming error no request can cause): each access to a class's stored `var` or a
// global that the compiler could not prove exclusive called into the runtime, ~300 instructions of
// a fetch (callgrind, bench/RESULTS.md). Debug builds, which the tests, the sanitizers and the
// fuzzers use, keep them.
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? [])
        + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
}
