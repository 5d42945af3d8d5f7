import EventHTTP
import Foundation
import JSON
@testable import PaystackAPI
@testable import PaystackCore
import PaystackMock
import Platform
@testable import Sandbox
import Testing
@testable import Webhooks

/// What can be checked without a container engine (`make docker-test` builds and runs the image):
/// the build stage copies every folder the package names, and every shared library the release
/// binary loads comes from a package the runtime stage installs, or from the base image.
@Suite struct DockerImageTests {
    /// Packages every Debian image has.
    static let baseImagePackages: Set<String> = ["libc6"]

    /// `make test` builds it and says where; a plain `swift test` may have none, and skips.
    static let releaseBinary = ProcessInfo.processInfo.environment["PAYSTACK_MOCK_RELEASE_BINARY"]
        ?? Fixtures.repositoryRoot + "/.build/release/paystack-mock"

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: releaseBinary), "no release build (make release)"))
    func runtimeStageInstallsEveryLibraryTheReleaseBinaryNeeds() throws {
        let binary = Self.releaseBinary
        let dockerfile = try String(contentsOfFile: Fixtures.repositoryRoot + "/docker/Dockerfile", encoding: .utf8)
        let installed = runtimeStagePackages(dockerfile)
        #expect(installed.contains("libevent-2.1-7"), "runtime stage packages: \(installed)")

        let libraries = try sharedLibraries(of: binary)
        #expect(libraries.contains { $0.contains("libevent") }, "ldd should list libevent: \(libraries)")
        for library in libraries {
            let package = try owningPackage(of: library)
            #expect(
                installed.contains(package) || Self.baseImagePackages.contains(package),
                "\(library) comes from \(package), which the runtime stage does not install")
        }
        #expect(!libraries.contains { $0.contains("libswift") || $0.contains("libFoundation") },
                "the Swift runtime is linked statically: \(libraries)")
    }

    @Test func imageRunsAsNonRootWithHealthcheckAndExposedPort() throws {
        let dockerfile = try String(contentsOfFile: Fixtures.repositoryRoot + "/docker/Dockerfile", encoding: .utf8)
        let runtime = dockerfile.components(separatedBy: "\nFROM ").last ?? ""
        #expect(runtime.contains("\nUSER paystack"))
        #expect(runtime.contains("\nEXPOSE 8787"))
        #expect(runtime.contains("\nHEALTHCHECK "))
        #expect(dockerfile.components(separatedBy: "\nFROM ").count == 3, "two stages")
    }

    /// SwiftPM refuses the whole package when one target's folder is missing, even for a product that
    /// does not use it; the build stage must copy each top-level folder a target lives in.
    @Test func buildStageCopiesEveryFolderThePackageNames() throws {
        let manifest = try String(contentsOfFile: Fixtures.repositoryRoot + "/Package.swift", encoding: .utf8)
        let dockerfile = try String(contentsOfFile: Fixtures.repositoryRoot + "/docker/Dockerfile", encoding: .utf8)
        let build = dockerfile.components(separatedBy: "\nFROM ").dropFirst().first ?? ""
        var folders: Set<String> = ["Sources", "Tests"]  // the default target paths
        for piece in manifest.components(separatedBy: "path: \"").dropFirst() {
            if let folder = piece.split(separator: "/").first { folders.insert(String(folder)) }
        }
        #expect(folders.contains("Fuzz"), "\(folders)")
        for folder in folders {
            #expect(build.contains("\nCOPY \(folder) ./\(folder)\n"), "the build stage does not copy \(folder)/")
        }
    }

    /// Package names of the `apt-get install` in the last stage.
    private func runtimeStagePackages(_ dockerfile: String) -> Set<String> {
        let runtime = dockerfile.components(separatedBy: "\nFROM ").last ?? ""
        let joined = runtime.replacingOccurrences(of: "\\\n", with: " ")
        var packages = Set<String>()
        for line in joined.split(separator: "\n") where line.contains("apt-get install") {
            let afterInstall = line.components(separatedBy: "apt-get install").last ?? ""
            let command = afterInstall.components(separatedBy: "&&").first ?? ""
            for token in command.split(separator: " ") where !token.hasPrefix("-") {
                packages.insert(String(token))
            }
        }
        return packages
    }

    private func sharedLibraries(of binary: String) throws -> [String] {
        let output = try run("/usr/bin/ldd", [binary])
        return output.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            if let arrow = parts.firstIndex(of: "=>"), arrow + 1 < parts.count, parts[arrow + 1].hasPrefix("/") {
                return String(parts[arrow + 1])
            }
            if let first = parts.first, first.hasPrefix("/") { return String(first) }
            return nil  // linux-vdso has no file
        }
    }

    private func owningPackage(of library: String) throws -> String {
        var candidates = [library, (library as NSString).resolvingSymlinksInPath]
        for path in candidates where path.hasPrefix("/lib") { candidates.append("/usr" + path) }
        for path in candidates {
            if let output = try? run("/usr/bin/dpkg", ["-S", path]), let name = output.split(separator: ":").first {
                return String(name)
            }
        }
        throw ProbeError(message: "no package owns \(library)")
    }

    private func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ProbeError(message: "\(tool) \(arguments) failed") }
        return String(decoding: data, as: UTF8.self)
    }
}

struct ProbeError: Error {
    let message: String
}
