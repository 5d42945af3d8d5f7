import Foundation
import HTTPTestSupport
import Testing

/// The real binary's `--help` and `--version`, and the README's flag table.
@Suite struct CommandLineTests {
    /// Flags as `--name` in `text`, in order of first appearance.
    static func flags(in text: some StringProtocol, prefix: String) -> [String] {
        var found: [String] = []
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            let rest = line.dropFirst(prefix.count)
            let name = "--" + rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            if !found.contains(name) { found.append(name) }
        }
        return found
    }

    @Test(arguments: ["--help", "-h"])
    func helpListsEveryFlagWithItsEnvironmentVariableAndExitsZero(_ argument: String) throws {
        let (status, output) = try MockProcess(arguments: [argument]).runToExitWithOutput()
        #expect(status == 0, "\(argument) exits 0 (it aborted with 134 before)")
        #expect(output.contains("USAGE: paystack-mock"))
        let flags = Self.flags(in: output, prefix: "  --").filter { $0 != "--help" && $0 != "--version" }
        #expect(flags.count >= 20, "flags found: \(flags)")
        // Each option's help text, up to the next option, names its variable.
        let sections = output.components(separatedBy: "\n  --").dropFirst()
        for section in sections where !section.hasPrefix("help") && !section.hasPrefix("version") {
            let name = section.prefix { $0 != " " && $0 != "\n" }
            let variable = "PAYSTACK_MOCK_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
            #expect(section.contains(variable), "--\(name) names \(variable)")
        }
    }

    @Test func versionPrintsTheVersionAndExitsZero() throws {
        let (status, output) = try MockProcess(arguments: ["--version"]).runToExitWithOutput()
        #expect(status == 0)
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3, "a version such as 0.2.0: \(output)")
    }

    @Test func readmeFlagTableNamesTheSameFlagsAsHelp() throws {
        let (_, help) = try MockProcess(arguments: ["--help"]).runToExitWithOutput()
        let readme = try String(contentsOfFile: Fixtures.repositoryRoot + "/README.md", encoding: .utf8)
        let table = readme.components(separatedBy: "\n## Flags")[1].components(separatedBy: "\n## ")[0]
        let documented = Set(Self.flags(in: table, prefix: "| `--"))
        let offered = Set(Self.flags(in: help, prefix: "  --")).subtracting(["--help", "--version"])
        #expect(documented == offered, "in --help only: \(offered.subtracting(documented).sorted()); in the README only: \(documented.subtracting(offered).sorted())")
    }
}
